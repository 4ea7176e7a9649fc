import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ts from 'typescript';
import { codeconnections } from '../../src';
import { testStack } from '../kit';

/** Runs the README's CodeConnections example, so it keeps compiling and synthesizing. */
test('the README example compiles and synthesizes', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## CodeConnections'));
  const code = section.slice(section.indexOf('```ts') + 5, section.indexOf('```', section.indexOf('```ts') + 5));
  const body = code.replace(/^import .*$/gm, '').replace(/^declare const stack: Stack;$/m, '');
  const js = ts.transpileModule(body, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const stack = testStack();
  const run = new Function('stack', 'Duration', 'codepipeline', 'actions', 'codeconnections', `${js}\nreturn { source, sourceOutput };`);
  const { source, sourceOutput } = run(stack, Duration, codepipeline, actions, codeconnections);
  new codepipeline.Pipeline(stack, 'Pipeline', {
    stages: [{ stageName: 'Source', actions: [source] }, {
      stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })],
    }],
  });
  expect(sourceOutput).toBeDefined();
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CodeConnections::Connection', 2);
  template.resourceCountIs('AWS::CodeStarConnections::SyncConfiguration', 1);
});
