import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ts from 'typescript';
import { codeartifact } from '../../src';
import { testStack } from '../kit';

/** Runs the README's CodeArtifact example, so it keeps compiling and synthesizing. */
test('the README example compiles and synthesizes', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## CodeArtifact'));
  const code = section.slice(section.indexOf('```ts') + 5, section.indexOf('```', section.indexOf('```ts') + 5));
  const body = code.replace(/^import .*$/gm, '').replace(/^declare const stack: Stack;$/m, '');
  const js = ts.transpileModule(body, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const stack = testStack();
  // The example's login.sh sits beside the app: the fixture directory plays the app's directory.
  const dir = path.join(__dirname, 'fixtures', 'readme');
  const run = new Function('stack', 'path', '__dirname', 'codebuild', 'kms', 'codeartifact', `${js}\nreturn { team, build };`);
  const { team, build } = run(stack, path, dir, codebuild, kms, codeartifact);
  expect(team).toBeInstanceOf(codeartifact.Repository);
  expect(build).toBeInstanceOf(codebuild.Project);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CodeArtifact::Repository', 3);
  template.resourceCountIs('Custom::CdkDevtoolsCodeArtifactPackageOriginControl', 1);
  template.resourceCountIs('Custom::CdkDevtoolsCodeArtifactGenericPackageVersion', 1);
});
