import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { explainFailure, readChecks, report } from './platform-synth';
import { STRICT_CONTEXT, TEST_ENV } from '../kit';

/** Synthesizes a small app like the platform's into a temporary directory. */
function synthesize(build: (stack: Stack) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
  const app = new App({ outdir, context: STRICT_CONTEXT });
  build(new Stack(app, 'Small', { env: TEST_ENV }));
  app.synth();
  return outdir;
}

describe('the main job report', () => {
  test('says what was built and where, and that there are no warnings', () => {
    const outdir = synthesize(stack => new s3.Bucket(stack, 'Bucket'));
    const lines = report(outdir, 1.25);
    expect(lines[0]).toBe(`Synthesized the example platform (test/platform/main.ts) in 1.3 s into ${outdir}`);
    expect(lines).toContain(`Small: 1 resources, ${(fs.statSync(path.join(outdir, 'Small.template.json')).size / 1024).toFixed(1)} KiB `
      + `(${path.join(outdir, 'Small.template.json')})`);
    expect(lines).toContain('     1  AWS::S3::Bucket');
    expect(lines).toContain('  CloudFormation validator: passed, no findings');
    expect(lines).toContain('Warnings: none');
    expect(lines[lines.length - 1]).toBe(`Full validation report: ${path.join(outdir, 'validation-report.json')}`);
  });

  test('names every warning: construct annotations and acknowledged validator findings, with the construct', () => {
    const outdir = synthesize(stack => {
      const bucket = new s3.Bucket(stack, 'Logs', { accessControl: s3.BucketAccessControl.LOG_DELIVERY_WRITE });
      Annotations.of(bucket).addWarningV2('cdk-devtools:example:something', 'something to look at');
    });
    const checks = readChecks(outdir);
    expect(checks.warnings).toEqual(expect.arrayContaining([
      { id: 'cdk-devtools:example:something', construct: 'Small/Logs', message: 'something to look at' },
      expect.objectContaining({ id: 'CloudFormation Validate W3045', construct: 'Small/Logs/Resource', message: expect.stringMatching(/AccessControl.*acknowledged: /) }),
    ]));
    const lines = report(outdir, 1);
    expect(lines).toContain(`Warnings: ${checks.warnings.length}`);
    expect(lines).toContain('  cdk-devtools:example:something at Small/Logs: something to look at');
  });

  test('a missing validation report is explained', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
    expect(() => readChecks(outdir)).toThrow(/validation-report.json: the CloudFormation validator did not run/);
  });

  test('a synth failure on a fresh clone says what to run', () => {
    expect(explainFailure('CannotFindAsset: …/assets/codeconnections/private/custom-resources/availability-on-event.lambda'))
      .toMatch(/run `npx projen bundle`/);
    expect(explainFailure("Error: Cannot find module 'aws-cdk-lib'")).toMatch(/run `npm ci`/);
    expect(explainFailure('some other failure')).toBe('some other failure');
  });
});
