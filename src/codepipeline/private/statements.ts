import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The statements of a function that serves many constructs of a stack (a shared evaluator or dispatcher): one per
 * list of actions, whose resources each construct extends, so that the role's policy grows by ARNs, not statements.
 */
export class SharedStatements {
  private readonly statements = new Map<string, iam.PolicyStatement>();

  constructor(private readonly grantee: { addToRolePolicy(statement: iam.PolicyStatement): void }) {}

  /** Allows `actions` on `resources` too; the first call for a list of actions adds its statement to the role. */
  public allow(actions: string[], ...resources: string[]): void {
    const key = actions.join(',');
    let statement = this.statements.get(key);
    if (!statement) {
      statement = new iam.PolicyStatement({ actions });
      this.statements.set(key, statement);
      this.grantee.addToRolePolicy(statement);
    }
    statement.addResources(...resources);
  }
}
