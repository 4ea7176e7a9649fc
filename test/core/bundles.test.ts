import * as fs from 'fs';
import * as path from 'path';

// The handler bundles, as `npx projen bundle` builds them before the tests. A handler module that imports a value
// from aws-cdk-lib (the construct-side constraint table, a Token check) drags all of it into the bundle, which
// every custom resource of a stack then loads on its cold start; the benchmark tracks the sizes.
const ASSETS = path.join(__dirname, '..', '..', 'assets');

function bundles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return bundles(full);
    return entry.name === 'index.js' ? [full] : [];
  });
}

test.each(bundles(ASSETS).map(file => [path.relative(ASSETS, file), file]))('%s holds no aws-cdk-lib and stays under 100 KiB', (_name, file) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).not.toMatch(/aws-cdk-lib|node_modules\/constructs/);
  expect(Buffer.byteLength(text)).toBeLessThan(100 * 1024);
});
