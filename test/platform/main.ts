import { App } from 'aws-cdk-lib';
import { applyNag, STRICT_CONTEXT } from '../kit';
import { buildPlatform } from './platform';

const app = new App({ context: STRICT_CONTEXT });
buildPlatform(app);
applyNag(app);
app.synth();
