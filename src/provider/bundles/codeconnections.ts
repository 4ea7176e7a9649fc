/** The CodeConnections family's bundle, which the routers load when a CodeConnections event arrives (see `src/provider/families.ts`). */
import { CODECONNECTIONS_HANDLERS } from '../../codeconnections/private/custom-resources/entries';
import { bundleRouter } from '../bundle';

export const { handlers, onEvent, isComplete } = bundleRouter(CODECONNECTIONS_HANDLERS);
