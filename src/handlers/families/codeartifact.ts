/** The CodeArtifact family's bundle, which the routers load when a CodeArtifact event arrives (see `src/handlers/families.ts`). */
import { CODEARTIFACT_HANDLERS } from '../../codeartifact/private/handlers/entries';
import { familyRouter } from '../family';

export const { handlers, onEvent, isComplete } = familyRouter(CODEARTIFACT_HANDLERS);
