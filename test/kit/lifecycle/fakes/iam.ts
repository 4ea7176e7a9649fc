import * as crypto from 'crypto';
import { AssumeRoleCommand, AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import { awsError } from '../../sdk';
import { CallerDirectory, Policy, useCallerDirectory, VirtualClock } from '../world';

let stsMock: AwsStub<any, any, any> | undefined;
const STACKS = new WeakMap<object, FakeIam>();

/**
 * The kit roles of a stack and STS's AssumeRole: a role exists while the template that names it is deployed,
 * and the credentials of a session carry exactly that role's policy. Assuming a role that does not exist (or
 * no longer does) is refused with STS's AccessDenied, and IAM never "propagates" it: the fake lets the
 * handler's propagation allowance pass on the virtual clock at once.
 */
export class FakeIam implements CallerDirectory {
  /** The role a construct creates for statements: named by their digest, as `KitProvider.roleFor` names its ids. */
  public static roleArnOf(policy: Policy): string {
    return `arn:aws:iam::123456789012:role/cdk-devtools/kit-${crypto.createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 12)}`;
  }

  /**
   * The IAM of a world's stack, shared by every driver (resource) of that world and of its copies (worlds of other
   * families sharing its clock and fakes: other resources of the same stack).
   */
  public static of(world: { readonly clock: VirtualClock }): FakeIam {
    let iam = STACKS.get(world.clock);
    if (!iam) {
      iam = new FakeIam(world.clock).wire();
      STACKS.set(world.clock, iam);
    }
    return iam;
  }

  public readonly roles = new Map<string, Policy>();
  /** Every role assumed, in order. */
  public readonly assumed: string[] = [];
  private readonly sessions = new Map<string, string>();
  private readonly owners = new Map<object, readonly string[]>();

  constructor(private readonly clock: VirtualClock) {}

  /** Creates the role of a policy (a no-op when it exists: its statements decide its name) and returns its ARN. */
  public put(policy: Policy): string {
    const arn = FakeIam.roleArnOf(policy);
    this.roles.set(arn, policy);
    return arn;
  }

  /**
   * Records the roles a resource's template names after a stack operation, and deletes every role no
   * resource names any more (CloudFormation's clean-up, after the resources that used them).
   */
  public retain(owner: object, arns: readonly string[]): void {
    this.owners.set(owner, arns);
    const named = new Set([...this.owners.values()].flat());
    [...this.roles.keys()].filter(arn => !named.has(arn)).forEach(arn => this.roles.delete(arn));
  }

  public policyOf(accessKeyId: string | undefined): Policy {
    const role = accessKeyId ? this.sessions.get(accessKeyId) : undefined;
    return (role ? this.roles.get(role) : undefined) ?? [];
  }

  public assumeRole(input: AssumeRoleCommandInput) {
    const arn = input.RoleArn ?? '';
    if (!this.roles.has(arn)) {
      this.clock.advance(10 * 60_000);
      throw awsError('AccessDenied', `User: arn:aws:sts::123456789012:assumed-role/handler/fn is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
    }
    this.assumed.push(arn);
    const key = `ASIAFAKE${this.sessions.size}`;
    this.sessions.set(key, arn);
    return { Credentials: { AccessKeyId: key, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(this.clock.now() + 3600_000) } };
  }

  /** Answers the handlers' STS calls and makes the fakes authorise by these roles. */
  public wire(): this {
    stsMock ??= mockClient(STSClient) as AwsStub<any, any, any>;
    stsMock.reset();
    stsMock.on(AssumeRoleCommand).callsFake(input => this.assumeRole(input));
    useCallerDirectory(this);
    return this;
  }
}
