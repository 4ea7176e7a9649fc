/**
 * The jest environment of every test file: Node's, plus CloudFormation's validator loaded once per jest worker.
 *
 * aws-cdk-lib runs the validator (`@aws/cloudformation-validate`, a 9 MB WebAssembly module) on every `app.synth()`
 * of a test app. jest gives each test file a fresh module registry, so each file that synthesizes would compile the
 * module again: about 2 s and 340 MB per file. This environment module is loaded once per worker, outside those
 * registries: it loads the validator with Node's own `require` and hands the same instance to every test file, where
 * `test/kit/shared-validator.ts` (jest's `moduleNameMapper` for the validator) returns it. Every template is still
 * validated, by the same code.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';

/** Where `test/kit/shared-validator.ts` finds the validator in a test file's global scope. */
export const VALIDATOR_GLOBAL = '__cdkDevtoolsCloudFormationValidate';

let validator: unknown;
/** How many templates the validator checked in this worker: `.ci/run` reports the total, so none goes unchecked. */
let validated = 0;
/** Where each worker writes its count (test-reports/ is jest's report directory). */
const COUNT_DIR = path.join(__dirname, '..', '..', 'test-reports', 'validated-templates');

/**
 * The validator checks that its configuration holds only plain objects, and an object made in a test file's context
 * has another `Object.prototype` than this one: the engine gets a copy made here.
 */
function loadValidator(): unknown {
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(require.resolve('@aws/cloudformation-validate', { paths: [cdkLib] }));
  const plain = (value: unknown) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));
  // An engine lives in the module's WebAssembly memory, which never shrinks: one engine per configuration (the rules
  // of the resource types synthesized) serves every test file, and aws-cdk-lib's `free()` of it is left undone.
  const engines = new Map<string, any>();
  function CompositeEngine(config: unknown) {
    const key = JSON.stringify(config ?? {});
    let engine = engines.get(key);
    if (!engine) {
      engine = new real.CompositeEngine(plain(config));
      const validateTemplate = engine.validateTemplate.bind(engine);
      engine.validateTemplate = (template: unknown, options: unknown) => {
        validated++;
        return validateTemplate(template, plain(options));
      };
      engine.free = () => {};
      engines.set(key, engine);
    }
    return engine;
  }
  return { ...real, CompositeEngine };
}

export default class CdkDevtoolsEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    // The validator aws-cdk-lib itself would load: its own dependency, resolved from its directory.
    validator ??= loadValidator();
    this.global[VALIDATOR_GLOBAL] = validator;
  }

  async teardown(): Promise<void> {
    fs.mkdirSync(COUNT_DIR, { recursive: true });
    fs.writeFileSync(path.join(COUNT_DIR, `${process.pid}.txt`), String(validated));
    await super.teardown();
  }
}
