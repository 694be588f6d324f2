export * from './accounts.js';
export * from './mail.js';
export * from './sandbox.js';
