export * from './app';
export * from './basic-auth';
export * from './branch';
export * from './branch-deployment';
export * from './build';
export * from './domain';
export * from './source-code-provider';
export * from './webhook';
