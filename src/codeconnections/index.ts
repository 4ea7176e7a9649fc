export * from './provider-type';
export * from './connection';
export * from './host';
export * from './repository-link';
export * from './sync-configuration';
export * from './stack-git-sync';
export * from './sync-health';
