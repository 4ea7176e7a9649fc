import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { DOMAIN_WITH_RECORDS, ScaleFamily, SCALE_FAMILIES } from '../bench/scale';
import { STRICT_CONTEXT, TEST_ENV } from '../kit';
import { deployLoad, DeployLoad } from '../kit/limits';

/** N instances of a family in one stack, synthesized as `cdk synth` writes it (validated by CloudFormation's validator). */
function synthesize(family: ScaleFamily, n: number): DeployLoad & { text: string } {
  const app = new App({ context: STRICT_CONTEXT });
  const stack = new Stack(app, 'Scale', { env: TEST_ENV });
  for (let i = 0; i < n; i++) family.add(stack, i);
  const assembly = app.synth();
  const text = fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return { ...deployLoad(text), text };
}

const N = 150;

describe(`${N} resources of one family in one stack deploy`, () => {
  test.each(SCALE_FAMILIES.map(f => [f.name, f] as const))('%s', (_name, family) => {
    const load = synthesize(family, N);
    expect(load.problems).toEqual([]);
    const template = JSON.parse(load.text);
    const types = Object.values<any>(template.Resources).map(r => r.Type);
    // The handler machinery stays fixed: 5 functions and 1 state machine whatever N.
    expect(types.filter(t => t === 'AWS::Lambda::Function')).toHaveLength(5);
    expect(types.filter(t => t === 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    // Least privilege holds at scale: no kit role grants '*' but for an action without resource-level permissions.
    const wildcards = Object.values<any>(template.Resources)
      .filter(r => r.Type === 'AWS::IAM::Role' && r.Properties.Path === '/cdk-devtools/')
      .flatMap(r => r.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement))
      .filter((st: any) => [st.Resource].flat().includes('*'))
      .flatMap((st: any) => [st.Action].flat());
    expect(wildcards.filter((a: string) => !/:ListConnections$/.test(a))).toEqual([]);
  });
});

describe('a family that cannot reach 150 in one stack', () => {
  test('fails at synth with the count, what cdk-devtools added and what to do', () => {
    expect(() => synthesize(DOMAIN_WITH_RECORDS, N)).toThrow(new RegExp(
      'stack Scale has \\d+ resources, and CloudFormation allows 500 in one stack\\. cdk-devtools custom resources in it: '
      + `${2 * N} Custom::CdkDevtoolsAmplifyDomainReadiness; .*Put some of the constructs into another stack or a NestedStack`));
  });

  test('deploys below its ceiling', () => {
    expect(synthesize(DOMAIN_WITH_RECORDS, 75).problems).toEqual([]);
  });
});
