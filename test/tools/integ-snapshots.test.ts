import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareSnapshot, findIntegApps, firstDifference, machinePaths, normalize, snapshotFiles, writeSnapshot } from './integ-snapshots';

describe('integ snapshots', () => {
  let dir: string;
  const template = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } } } };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snap-test-'));
    const synth = path.join(dir, 'synth');
    fs.mkdirSync(path.join(synth, 'asset.abc'), { recursive: true });
    fs.writeFileSync(path.join(synth, 'asset.abc', 'index.js'), 'code');
    fs.writeFileSync(path.join(synth, 'manifest.json'), '{"version":"55.0.0"}');
    fs.writeFileSync(path.join(synth, 'Stack.template.json'), JSON.stringify(template));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a snapshot leaves out asset bodies and tool manifests', () => {
    writeSnapshot(path.join(dir, 'synth'), path.join(dir, 'snap'));
    expect(snapshotFiles(path.join(dir, 'snap'))).toEqual(['Stack.template.json']);
  });

  test('an unchanged template passes', () => {
    writeSnapshot(path.join(dir, 'synth'), path.join(dir, 'snap'));
    expect(compareSnapshot(path.join(dir, 'snap'), path.join(dir, 'synth'))).toEqual([]);
  });

  test('a changed template fails, naming where it changed', () => {
    writeSnapshot(path.join(dir, 'synth'), path.join(dir, 'snap'));
    const changed = JSON.parse(JSON.stringify(template));
    changed.Resources.Bucket.Properties.VersioningConfiguration.Status = 'Suspended';
    fs.writeFileSync(path.join(dir, 'synth', 'Stack.template.json'), JSON.stringify(changed));
    expect(compareSnapshot(path.join(dir, 'snap'), path.join(dir, 'synth')))
      .toEqual(['Stack.template.json: changed at /Resources/Bucket/Properties/VersioningConfiguration/Status']);
  });

  test('an added or removed stack fails', () => {
    writeSnapshot(path.join(dir, 'synth'), path.join(dir, 'snap'));
    fs.renameSync(path.join(dir, 'synth', 'Stack.template.json'), path.join(dir, 'synth', 'Other.template.json'));
    expect(compareSnapshot(path.join(dir, 'snap'), path.join(dir, 'synth'))).toEqual([
      'Stack.template.json: in the snapshot, no longer synthesized',
      'Other.template.json: synthesized, not in the snapshot',
    ]);
  });

  test('a machine path in a snapshot fails', () => {
    fs.writeFileSync(path.join(dir, 'synth', 'Stack.metadata.json'), JSON.stringify({ trace: ['App.synth (/work/main/integ/x.ts:1)'] }));
    expect(machinePaths(path.join(dir, 'synth'))).toEqual([expect.stringMatching(/^Stack.metadata.json: holds an absolute machine path/)]);
  });

  test('firstDifference finds type changes and equal values', () => {
    expect(firstDifference({ a: [1, 2] }, { a: [1, 2] })).toBeUndefined();
    expect(firstDifference({ a: [1, 2] }, { a: { 0: 1 } })).toBe('/a');
  });

  test('finds integ apps and skips snapshot directories', () => {
    fs.mkdirSync(path.join(dir, 'mod', 'integ.x.ts.snapshot'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'mod', 'integ.x.ts'), '');
    fs.writeFileSync(path.join(dir, 'mod', 'integ.x.ts.snapshot', 'integ.y.ts'), '');
    fs.writeFileSync(path.join(dir, 'mod', 'support.ts'), '');
    expect(findIntegApps(dir)).toEqual([path.join(dir, 'mod', 'integ.x.ts')]);
  });
});

describe('normalize', () => {
  test('pins the per-synth salt of integ-tests assertions and the template hash it causes', () => {
    const template = JSON.stringify({ Resources: { Call: { Type: 'Custom::DeployAssert@SdkCallX', Properties: { salt: '1732363200000', api: 'GetX' } } } });
    expect(JSON.parse(normalize('A.template.json', template)).Resources.Call.Properties).toEqual({ salt: '<salt>', api: 'GetX' });
    const assets = JSON.stringify({
      files: {
        abc123: { source: { path: 'A.template.json' }, destinations: { 'current_account-current_region-1a2b3c4d': { objectKey: 'abc123.json' } } },
        def456: { source: { path: 'asset.def456' }, destinations: { d: { objectKey: 'def456.zip' } } },
      },
    });
    expect(JSON.parse(normalize('A.assets.json', assets)).files).toEqual({
      'template:A.template.json': { source: { path: 'A.template.json' }, destinations: { 'current_account-current_region': { objectKey: '<template hash>.json' } } },
      'def456': { source: { path: 'asset.def456' }, destinations: { d: { objectKey: 'def456.zip' } } },
    });
  });
});
