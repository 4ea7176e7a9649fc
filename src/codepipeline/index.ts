export * from './custom-action-type';
export * from './custom-action';
