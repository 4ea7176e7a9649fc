export * from './custom-action-type';
export * from './custom-action';
export * from './pipeline-execution';
export * from './stage-transition-freeze';
