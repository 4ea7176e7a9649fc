/** The Amplify family's bundle, which the routers load when a Amplify event arrives (see `src/handlers/families.ts`). */
import { AMPLIFY_HANDLERS } from '../../amplify/private/handlers/entries';
import { familyRouter } from '../family';

export const { handlers, onEvent, isComplete } = familyRouter(AMPLIFY_HANDLERS);
