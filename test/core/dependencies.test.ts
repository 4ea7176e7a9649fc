import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

// A user's app loads the compiled library with nothing but its declared dependencies and peers installed. Anything
// else it requires at synth (the AWS SDK, a devDependency the handler bundles use) is missing there, and the import
// fails in every language. The handler bundles (assets/) are not loaded at synth and are checked in bundles.test.ts.
const ROOT = path.join(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');

/** The packages the compiled library's own files require when `cdk-devtools` is imported, and what Node printed. */
function packagesRequiredOnImport(): { packages: string[]; stderr: string } {
  const script = `
    const Module = require('module');
    const lib = ${JSON.stringify(LIB + path.sep)};
    const packages = new Set();
    const load = Module._load;
    Module._load = function (request, parent) {
      if (parent && parent.filename && parent.filename.startsWith(lib) && !request.startsWith('.') && !request.startsWith('/')) {
        packages.add(request);
      }
      return load.apply(this, arguments);
    };
    require(lib);
    process.stdout.write(JSON.stringify([...packages]));
  `;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (child.status !== 0) throw new Error(`importing lib/ failed:\n${child.stderr}`);
  return { packages: JSON.parse(child.stdout), stderr: child.stderr };
}

function packageName(request: string): string {
  const parts = request.replace(/^node:/, '').split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

test('importing the compiled library requires only Node.js built-ins and declared dependencies and peers', () => {
  if (!fs.existsSync(path.join(LIB, 'index.js'))) throw new Error('lib/index.js is missing: run `npx projen compile` first');
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const builtins = new Set(builtinModules);

  const { packages, stderr } = packagesRequiredOnImport();
  const undeclared = packages.filter(request => !request.startsWith('node:') && !builtins.has(packageName(request)) && !declared.has(packageName(request)));

  expect(packages).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs']));
  expect(undeclared).toEqual([]);
  // Nothing is printed on import (the AWS SDK, had it loaded, announces its Node.js support policy).
  expect(stderr).toBe('');
});
