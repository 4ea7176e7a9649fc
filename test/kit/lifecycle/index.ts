export * from './world';
export * from './driver';
export * from './suite';
export * from './fakes/codeconnections';
