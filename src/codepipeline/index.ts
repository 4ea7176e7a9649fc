export * from './custom-action-type';
export * from './custom-action';
export * from './approval-gate';
