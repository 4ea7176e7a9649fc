export * from './domain';
export * from './external-connection';
export * from './login';
export * from './package-format';
export * from './package-group';
export * from './repository';
export * from './generic-package-version';
export * from './package-origin-control';
