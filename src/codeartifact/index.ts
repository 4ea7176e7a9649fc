// The codeartifact module: its constructs are exported here as they land.
export {};
