import { Template } from 'aws-cdk-lib/assertions';

/** What a custom resource of the kit acts with: its kit role's logical id and statements, as synthesized. */
export interface KitRoleView {
  readonly roleLogicalId: string;
  readonly statements: any[];
}

/**
 * The kit role of each custom resource of a type, in template order: the role its `RoleArn` names, with the
 * statements of its inline policy. Fails when a resource names no role of the template.
 */
export function kitRolesOf(template: Template, resourceType: string): KitRoleView[] {
  const roles = template.findResources('AWS::IAM::Role');
  return Object.entries(template.findResources(resourceType)).map(([id, resource]) => {
    const roleArn = resource.Properties?.RoleArn;
    const roleLogicalId: string | undefined = roleArn?.['Fn::GetAtt']?.[0];
    const role = roleLogicalId ? roles[roleLogicalId] : undefined;
    if (!role) throw new Error(`${resourceType} ${id} names no kit role of the template (RoleArn: ${JSON.stringify(roleArn)})`);
    const policies: any[] = role.Properties.Policies ?? [];
    return { roleLogicalId: roleLogicalId!, statements: policies.flatMap(p => p.PolicyDocument.Statement) };
  });
}

/** The statements of the one kit role a custom resource of this type acts with (the first such resource). */
export function kitStatementsOf(template: Template, resourceType: string): any[] {
  return kitRolesOf(template, resourceType)[0].statements;
}

/** The Lambda functions and state machines of a template: the handler machinery's footprint. */
export function footprintOf(template: Template): { functions: number; stateMachines: number } {
  return {
    functions: Object.keys(template.findResources('AWS::Lambda::Function')).length,
    stateMachines: Object.keys(template.findResources('AWS::StepFunctions::StateMachine')).length,
  };
}
