import { Template } from 'aws-cdk-lib/assertions';
import { referencedLogicalId } from './intrinsics';

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
    const roleLogicalId = referencedLogicalId(roleArn);
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

/**
 * The kit provider's waiter as the template defines it: the Retry of its isComplete task (how often and how many
 * times it calls), its log level, and the query interval the isComplete function is told.
 */
export function waiterOf(template: Template): { IntervalSeconds: number; MaxAttempts: number; level: string; told: string } {
  const machines = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'))
    .filter(m => JSON.stringify(m.Properties.DefinitionString).includes('framework-isComplete-task'));
  if (machines.length !== 1) throw new Error(`expected one provider waiter, found ${machines.length}`);
  const text = (value: any): string => typeof value === 'string' ? value
    : value['Fn::Join'] ? value['Fn::Join'][1].map((part: any) => typeof part === 'string' ? part : 'ref').join('')
      : JSON.stringify(value);
  // Each intrinsic (a function's ARN) sits inside a JSON string of the definition.
  const definition = JSON.parse(text(machines[0].Properties.DefinitionString));
  const [retry] = definition.States['framework-isComplete-task'].Retry;
  const isComplete = Object.entries<any>(template.findResources('AWS::Lambda::Function')).find(([id]) => /ProviderIsComplete/.test(id));
  return {
    IntervalSeconds: retry.IntervalSeconds,
    MaxAttempts: retry.MaxAttempts,
    level: machines[0].Properties.LoggingConfiguration?.Level ?? 'OFF',
    told: isComplete?.[1].Properties.Environment?.Variables?.QUERY_INTERVAL_SECONDS,
  };
}
