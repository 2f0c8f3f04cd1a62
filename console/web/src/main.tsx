import { render } from 'preact';
import { App } from './app';
import { readPageConfig } from './config';
import { startTelemetry } from './telemetry';
import './styles.css';

const config = readPageConfig();
// First, so the document load and every shop request are traced from the start.
startTelemetry(config);
const root = document.getElementById('app')!;
root.textContent = '';
render(<App config={config} />, root);
