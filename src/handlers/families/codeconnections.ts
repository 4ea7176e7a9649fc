/** The CodeConnections family's bundle, which the routers load when a CodeConnections event arrives (see `src/handlers/families.ts`). */
import { CODECONNECTIONS_HANDLERS } from '../../codeconnections/private/handlers/entries';
import { familyRouter } from '../family';

export const { handlers, onEvent, isComplete } = familyRouter(CODECONNECTIONS_HANDLERS);
