import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { reconcileWindow, WindowFiring, windowOfFiring } from '../custom-resources/freeze-window';

// Module scope: reused across warm invocations.
const client = new CodePipelineClient({});

/**
 * A schedule of a `StageTransitionFreezeWindow` fired (its start, its end, or the catch-up after a time the clocks
 * skipped): applies the state the window has now.
 */
export async function handler(input: WindowFiring): Promise<{ open: boolean }> {
  return { open: await reconcileWindow(client, windowOfFiring(input), Date.now()) };
}
