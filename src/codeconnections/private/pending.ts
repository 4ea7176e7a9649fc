import { Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { addWarning, WARNINGS } from '../../core/warnings';

/**
 * Collects the connections and hosts of a stack that deploy PENDING without a wait, and warns once per
 * stack at synth (one warning per construct costs more synth time than the constructs themselves).
 */
class PendingSetups extends Construct {
  public static of(scope: IConstruct): PendingSetups {
    const stack = Stack.of(scope);
    const id = 'cdk-devtools.PendingSetups';
    return (stack.node.tryFindChild(id) as PendingSetups | undefined) ?? new PendingSetups(stack, id);
  }

  public readonly connections: string[] = [];
  public readonly hosts: string[] = [];
  private warned = false;

  private constructor(scope: Stack, id: string) {
    super(scope, id);
    this.node.addValidation({ validate: () => this.warn(scope) });
  }

  private warn(stack: Stack): string[] {
    if (this.warned) return [];
    this.warned = true;
    if (this.connections.length > 0) {
      addWarning(stack, WARNINGS.codeconnectionsPendingHandshake,
        'new connections are PENDING until someone completes their handshake in the console (see each handshakeUrl), and pipelines '
        + `that use them fail until then: ${this.connections.join(', ')}. Set waitForAvailability: true to hold the deployment until they are AVAILABLE`);
    }
    if (this.hosts.length > 0) {
      addWarning(stack, WARNINGS.codeconnectionsPendingHostSetup,
        'new hosts are PENDING until someone completes their set-up in the console (see each setupUrl), and their connections cannot '
        + `be completed before that: ${this.hosts.join(', ')}. Set waitForAvailability: true to hold the deployment until they are AVAILABLE`);
    }
    return [];
  }
}

/** Records that `scope` (a connection or host) deploys PENDING and nothing waits for it. */
export function notePending(scope: IConstruct, kind: 'connection' | 'host'): void {
  const pending = PendingSetups.of(scope);
  (kind === 'connection' ? pending.connections : pending.hosts).push(scope.node.path);
}
