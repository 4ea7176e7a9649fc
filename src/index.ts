export * as codeconnections from './codeconnections';
export * as codepipeline from './codepipeline';
export * as amplify from './amplify';
export * as codeartifact from './codeartifact';
export * as codecatalyst from './codecatalyst';
export * from './wait';
