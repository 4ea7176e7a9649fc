/** The CodeCatalyst family's bundle, which the routers load when a CodeCatalyst event arrives (see `src/handlers/families.ts`). */
import { CODECATALYST_HANDLERS } from '../../codecatalyst/private/handlers/entries';
import { familyRouter } from '../family';

export const { handlers, onEvent, isComplete } = familyRouter(CODECATALYST_HANDLERS);
