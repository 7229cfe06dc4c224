export * from './record.js';
export * from './merge.js';
export * from './counts.js';
export * from './writer.js';
