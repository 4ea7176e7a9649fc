export * from './custom-action-type';
export * from './custom-action';
export * from './pipeline-execution';
export * from './stage-transition-freeze';
export * from './stage-transition-freeze-window';
