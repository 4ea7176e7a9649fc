/**
 * What aws-cdk-lib gets for `require('@aws/cloudformation-validate')` in a test: the one validator the jest environment
 * (`test/kit/environment.ts`) loaded for the worker, instead of a fresh copy per test file.
 */
// `VALIDATOR_GLOBAL` of environment.ts, spelled out: importing that module here would load jest's environment again.
const validator = (globalThis as Record<string, unknown>).__cdkDevtoolsCloudFormationValidate;
if (!validator) throw new Error('CloudFormation\'s validator is missing: jest must run with testEnvironment test/kit/environment.ts');
module.exports = validator;
