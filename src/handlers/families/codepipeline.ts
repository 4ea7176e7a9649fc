/** The CodePipeline family's bundle, which the routers load when a CodePipeline event arrives (see `src/handlers/families.ts`). */
import { CODEPIPELINE_HANDLERS } from '../../codepipeline/private/handlers/entries';
import { familyRouter } from '../family';

export const { handlers, onEvent, isComplete } = familyRouter(CODEPIPELINE_HANDLERS);
