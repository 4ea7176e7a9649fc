export * from './world';
export * from './driver';
export * from './suite';
export * from './fakes/amplify';
export * from './fakes/codeartifact';
export * from './fakes/codeconnections';
export * from './fakes/s3';
export * from './fakes/iam';
