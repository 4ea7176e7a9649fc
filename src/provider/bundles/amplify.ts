/** The Amplify family's bundle, which the routers load when a Amplify event arrives (see `src/provider/families.ts`). */
import { AMPLIFY_HANDLERS } from '../../amplify/private/custom-resources/entries';
import { bundleRouter } from '../bundle';

export const { handlers, onEvent, isComplete } = bundleRouter(AMPLIFY_HANDLERS);
