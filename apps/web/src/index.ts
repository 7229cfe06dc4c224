export { createWebApp, isLoopback, DEFAULT_MAX_UPLOAD, type ServerOptions, type WebApp } from './server.js';
export { JobStore, type Job, type JobStatus } from './jobs.js';
