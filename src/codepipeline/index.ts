export * from './custom-action-type';
export * from './custom-action';
export * from './job-worker';
export * from './approval-gate';
export * from './pipeline-execution';
export * from './stage-transition-freeze';
export * from './stage-transition-freeze-window';
export * from './stage-rule';
