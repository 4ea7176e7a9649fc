/** The CodePipeline family's bundle, which the routers load when a CodePipeline event arrives (see `src/provider/families.ts`). */
import { CODEPIPELINE_HANDLERS } from '../../codepipeline/private/custom-resources/entries';
import { bundleRouter } from '../bundle';

export const { handlers, onEvent, isComplete } = bundleRouter(CODEPIPELINE_HANDLERS);
