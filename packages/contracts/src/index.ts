// The contracts between the services: every body that crosses a boundary and every event on the
// queue, declared once. Both sides import the same schema, so a change fails type checking on both.
export * from './admin';
export * from './auth';
export * from './catalog';
export * from './common';
export * from './console';
export * from './events';
export * from './orders';
export * from './payments';
export * from './quests';
export * from './reservations';
export * from './tokens';
