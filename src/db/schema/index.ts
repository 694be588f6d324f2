export * from './accounts.js';
export * from './mail.js';
export * from './sandbox.js';
export * from './assistants.js';
export * from './calls.js';
export * from './jobs.js';
export * from './knowledge.js';
