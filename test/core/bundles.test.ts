import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BundleRouter } from '../../src/provider/bundle';
import { BUNDLE_OF, FAMILIES_OF, ModuleName } from '../../src/provider/bundles';
import { createEvent } from '../kit';

// The handler bundles, as `npx projen bundle` builds them before the tests. A handler module that imports a value
// from aws-cdk-lib (the construct-side constraint table, a Token check) drags all of it into the bundle, which
// every custom resource of a stack then loads on its cold start; the benchmark tracks the sizes.
const ASSETS = path.join(__dirname, '..', '..', 'assets');
const ROUTERS = ['on-event', 'is-complete'].map(name => path.join(ASSETS, 'provider', `${name}.lambda`));
const BUNDLE_SOURCES = path.join(__dirname, '..', '..', 'src', 'provider', 'bundles');
const MODULES = fs.readdirSync(BUNDLE_SOURCES).filter(name => name.endsWith('.ts')).map(name => name.slice(0, -3)).sort();

function bundles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return bundles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

test.each(bundles(ASSETS).map(file => [path.relative(ASSETS, file), file]))('%s holds no aws-cdk-lib and stays under 50 KiB', (_name, file) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).not.toMatch(/aws-cdk-lib|node_modules\/constructs/);
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(50 * 1024);
});

describe('the routers load one family per resource type, on its first event', () => {
  test.each(ROUTERS.map(dir => [path.relative(ASSETS, dir), dir]))('%s has a bundle for every family, and only them', (_name, dir) => {
    expect(fs.readdirSync(path.join(dir, 'bundles')).sort()).toEqual(MODULES.map(family => `${family}.js`));
  });

  test.each(MODULES)("%s's bundle serves exactly its families, with an isComplete exactly for those that wait", module => {
    const entries = jest.requireActual<BundleRouter>(path.join(BUNDLE_SOURCES, module)).handlers;
    const served = entries.map(entry => `${entry.family.resourceType} waits=${entry.family.waits} isComplete=${entry.isComplete !== undefined}`);
    const declared = FAMILIES_OF[module as ModuleName].map(family => `${family.resourceType} waits=${family.waits} isComplete=${family.waits}`);
    expect(served.sort()).toEqual(declared.sort());
  });

  // A fresh Node.js process requires the built router and hands it one event: a Create without the properties the
  // construct sets, so each handler fails at once, before any call to AWS. The AWS SDK clients loaded are those the
  // family's bundle names, and no other family's; the router alone loads none.
  const cases = ROUTERS.flatMap(dir => MODULES.map(family => [path.relative(ASSETS, dir), family, dir]));
  test.each(cases)('%s given a %s event loads that family and its SDK clients only', (_name, family, dir) => {
    const resourceType = [...BUNDLE_OF].find(([, f]) => f === family)![0];
    const event = { ...createEvent({}, { resourceType }), PhysicalResourceId: 'p' };
    const script = `
      const Module = require('module');
      const loaded = [];
      const load = Module._load;
      Module._load = function (request) {
        if (/^@aws-sdk\\/client-|^\\.\\/bundles\\//.test(request) && !loaded.includes(request)) loaded.push(request);
        return load.apply(this, arguments);
      };
      const { handler } = require(${JSON.stringify(path.join(dir, 'index.js'))});
      const router = [...loaded];
      handler(${JSON.stringify(event)}).then(() => 'succeeded', err => err.message).then(outcome => {
        console.log('RESULT ' + JSON.stringify({ router, loaded, outcome }));
      });`;
    const output = execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const result = JSON.parse(output.split('\n').find(line => line.startsWith('RESULT '))!.slice('RESULT '.length));
    const familyBundle = fs.readFileSync(path.join(dir, 'bundles', `${family}.js`), 'utf8');
    const clients = [...new Set(familyBundle.match(/(?<=require\(")@aws-sdk\/client-[^"]+/g))].sort();

    expect(result.router).toEqual([]);
    expect(result.loaded.filter((m: string) => m.startsWith('./')).sort()).toEqual([`./bundles/${family}`]);
    expect(result.loaded.filter((m: string) => m.startsWith('@aws-sdk/')).sort()).toEqual(clients);
    expect(result.outcome).toMatch(/^(succeeded|internal error: property \w+ is missing)/);
  });
});
