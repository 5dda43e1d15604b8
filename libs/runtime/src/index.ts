export * from './config';
export * from './errors';
export * from './lifecycle';
export * from './logger';
export * from './readiness';
export * from './timeouts';
