/** The CodeCatalyst family's bundle, which the routers load when a CodeCatalyst event arrives (see `src/provider/families.ts`). */
import { CODECATALYST_HANDLERS } from '../../codecatalyst/private/custom-resources/entries';
import { bundleRouter } from '../bundle';

export const { handlers, onEvent, isComplete } = bundleRouter(CODECATALYST_HANDLERS);
