export * from './custom-action-type';
export * from './custom-action';
export * from './job-worker';
export * from './approval-gate';
