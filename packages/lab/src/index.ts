export { AdminClient } from './admin-client';
export { runFaultCli } from './fault';
export { labSettings } from './settings';
