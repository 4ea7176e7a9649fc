/** The CodeArtifact family's bundle, which the routers load when a CodeArtifact event arrives (see `src/provider/families.ts`). */
import { CODEARTIFACT_HANDLERS } from '../../codeartifact/private/custom-resources/entries';
import { bundleRouter } from '../bundle';

export const { handlers, onEvent, isComplete } = bundleRouter(CODEARTIFACT_HANDLERS);
