import { App } from 'aws-cdk-lib';
import { applyNag, STRICT_CONTEXT } from '../kit';
import { CODECATALYST_SPACE_CONTEXT } from './codecatalyst';
import { buildPlatform } from './platform';

// PLATFORM_CODECATALYST_SPACE=<space> adds the CodeCatalyst workspace (few accounts still have a space).
const space = process.env.PLATFORM_CODECATALYST_SPACE;
const app = new App({ context: { ...STRICT_CONTEXT, ...(space ? { [CODECATALYST_SPACE_CONTEXT]: space } : {}) } });
buildPlatform(app);
applyNag(app);
app.synth();
