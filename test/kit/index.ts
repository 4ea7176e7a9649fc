export * from './app';
export * from './events';
export * from './intrinsics';
export * from './nag';
export * from './roles';
export * from './sdk';
export * from './lifecycle';
export * from './family';
