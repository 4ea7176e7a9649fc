import { CODECATALYST_API } from '../../src/codecatalyst/private/api-constraints';
import { checkOperationInput, compilePattern } from '../../src/core/api-constraints';

const ENV = '0a1b2c3d-1111-2222-3333-444455556666';
const key = { spaceName: 'acme', projectName: 'web' };

test('every shape the table names is in it, and every pattern compiles', () => {
  const names = new Set(Object.keys(CODECATALYST_API.shapes));
  const prelude = ['boolean', 'timestamp', 'string', 'integer'];
  const referenced = [
    ...Object.values(CODECATALYST_API.operations).flatMap(members => Object.values(members).map(m => m.shape)),
    ...Object.values(CODECATALYST_API.shapes).flatMap(s => [s.member, s.key, s.value, ...Object.values(s.members ?? {}).map(m => m.shape)]),
  ].filter((s): s is string => s !== undefined);
  expect(referenced.filter(s => !names.has(s) && !prelude.includes(s))).toEqual([]);
  for (const shape of Object.values(CODECATALYST_API.shapes)) {
    if (shape.pattern) expect(() => compilePattern(shape.pattern!)).not.toThrow();
  }
});

test('every operation the handlers call is in the table', () => {
  expect(Object.keys(CODECATALYST_API.operations).sort()).toEqual(expect.arrayContaining([
    'VerifySession', 'GetSpace', 'CreateProject', 'GetProject', 'UpdateProject', 'DeleteProject', 'CreateSourceRepository', 'GetSourceRepository',
    'GetSourceRepositoryCloneUrls', 'DeleteSourceRepository', 'CreateSourceRepositoryBranch', 'ListSourceRepositoryBranches', 'CreateDevEnvironment',
    'GetDevEnvironment', 'UpdateDevEnvironment', 'StartDevEnvironment', 'StopDevEnvironment', 'DeleteDevEnvironment', 'ListWorkflows',
    'StartWorkflowRun', 'GetWorkflowRun', 'ListProjects', 'ListDevEnvironments',
  ].sort()));
});

// Values read from the CodeCatalyst API model (2022-09-28) by hand; the test does not load the model.
test.each<[string, Record<string, unknown>]>([
  ['NameString', { type: 'string', min: 3, max: 63, pattern: '^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$' }],
  ['ProjectDisplayName', { type: 'string', min: 3, max: 63, pattern: '^[a-zA-Z0-9]+(?:[-_\\. ][a-zA-Z0-9]+)*$' }],
  ['SourceRepositoryNameString', { type: 'string', min: 1, max: 100, pattern: '^(?!.*[.]git$)[\\w\\-.]*$' }],
  ['Uuid', { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }],
  ['InactivityTimeoutMinutes', { type: 'integer', min: 0, max: 1200 }],
  ['WorkflowRunClientToken', { type: 'string', min: 1, max: 64, pattern: '^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$' }],
  ['BranchMaxResults', { type: 'integer', min: 1, max: 50 }],
  ['DevEnvironmentMaxResults', { type: 'integer', min: 1, max: 50 }],
  ['ProjectMaxResults', { type: 'integer', min: 1, max: 100 }],
  ['CreateAlias', { type: 'string', min: 1, max: 128 }],
  ['UpdateAlias', { type: 'string', max: 128, pattern: '^$|^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$' }],
  ['InstanceType', { type: 'enum', values: ['dev.standard1.small', 'dev.standard1.medium', 'dev.standard1.large', 'dev.standard1.xlarge'] }],
])('shape %s matches the model', (name, expected) => {
  expect(CODECATALYST_API.shapes[name]).toMatchObject(expected);
});

test('members the model requires are required in the table', () => {
  const required = (op: string) => Object.entries(CODECATALYST_API.operations[op]).filter(([, m]) => m.required).map(([n]) => n).sort();
  expect(required('CreateDevEnvironment')).toEqual(['instanceType', 'persistentStorage', 'projectName', 'spaceName']);
  expect(required('StartWorkflowRun')).toEqual(['projectName', 'spaceName', 'workflowId']);
  expect(required('CreateProject')).toEqual(['displayName', 'spaceName']);
  expect(required('GetSpace')).toEqual(['name']);
  expect(required('VerifySession')).toEqual([]);
});

test.each<[string, Record<string, unknown>, RegExp]>([
  ['GetSpace', { name: 'ac' }, /name/],
  ['CreateProject', { spaceName: 'acme', displayName: 'Bad!Name' }, /displayName/],
  ['CreateSourceRepository', { ...key, name: 'infra.git' }, /name/],
  ['GetDevEnvironment', { ...key, id: 'not-a-uuid' }, /id/],
  ['CreateDevEnvironment', { ...key, instanceType: 'dev.standard1.huge', persistentStorage: { sizeInGiB: 16 } }, /instanceType/],
  ['CreateDevEnvironment', { ...key, instanceType: 'dev.standard1.small', persistentStorage: { sizeInGiB: 8 } }, /sizeInGiB/],
  ['CreateDevEnvironment', { ...key, instanceType: 'dev.standard1.small', persistentStorage: { sizeInGiB: 16 }, ides: [{ name: 'Emacs' }] }, /name/],
  ['UpdateDevEnvironment', { ...key, id: ENV, inactivityTimeoutMinutes: 1201 }, /inactivityTimeoutMinutes/],
  ['StartWorkflowRun', { ...key, workflowId: ENV, clientToken: 'x'.repeat(65) }, /clientToken/],
  ['ListSourceRepositoryBranches', { ...key, sourceRepositoryName: 'web', maxResults: 51 }, /maxResults/],
  ['ListDevEnvironments', { ...key, maxResults: 51 }, /maxResults/],
  ['ListProjects', { spaceName: 'acme', maxResults: 101 }, /maxResults/],
])('%s refuses %j', (operation, input, member) => {
  const problems = checkOperationInput(CODECATALYST_API, operation, input);
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.join('\n')).toMatch(member);
});

test.each<[string, Record<string, unknown>]>([
  ['VerifySession', {}],
  ['GetSpace', { name: 'acme' }],
  ['CreateProject', { spaceName: 'acme', displayName: 'Storefront App', description: 'The storefront' }],
  ['UpdateDevEnvironment', { ...key, id: ENV, alias: '' }],
  ['CreateDevEnvironment', {
    ...key,
    instanceType: 'dev.standard1.small',
    persistentStorage: { sizeInGiB: 64 },
    ides: [{ name: 'VSCode' }],
    inactivityTimeoutMinutes: 0,
    repositories: [{ repositoryName: 'web-app', branchName: 'main' }],
    alias: 'alice-dev',
    clientToken: 'a'.repeat(48),
  }],
  ['StartWorkflowRun', { ...key, workflowId: ENV, clientToken: `cdkdevtools-${'0'.repeat(48)}` }],
])('%s accepts a valid input', (operation, input) => {
  expect(checkOperationInput(CODECATALYST_API, operation, input)).toEqual([]);
});
