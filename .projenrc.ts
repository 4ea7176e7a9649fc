import { awscdk, javascript, JsonFile } from 'projen';

/** The oldest aws-cdk-lib users may pair with us: the first with CodeConnections hosts and Amplify webhooks. */
const PEER_CDK_VERSION = '2.268.0';
/** What we build and test against: its built-in CloudFormation validator checks every template the tests synthesize. */
const DEV_CDK_VERSION = '2.276.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-devtools',
  description: 'AWS CDK constructs for software delivery on AWS: CodeConnections, CodePipeline, Amplify Hosting, CodeArtifact and CodeCatalyst',
  author: 'cdk-devtools maintainers',
  authorAddress: 'maintainers@cdk-devtools.dev',
  repositoryUrl: 'https://github.com/cdk-devtools/cdk-devtools.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'codeconnections', 'codepipeline', 'amplify', 'codeartifact', 'codecatalyst'],
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  cdkVersion: PEER_CDK_VERSION,
  constructsVersion: '10.5.1',
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.0',

  // Nothing can publish, upgrade or run GitHub workflows from here.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,

  // Failures must show, never be rewritten away.
  typecheckTests: true,
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    extraCliOptions: ['--json', '--outputFile=test-reports/jest.json'],
    // A quiet run: failures and the summary only (no per-file lines, no coverage table; coverage/ keeps the report).
    coverageText: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/kit/setup.ts'],
      // CloudFormation's validator, compiled once per worker rather than once per test file (test/kit/environment.ts).
      testEnvironment: '<rootDir>/test/kit/environment.ts',
      moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/kit/shared-validator.ts' },
      // Coverage instruments every file and slows the loop: `npx projen test:coverage` writes coverage/.
      collectCoverage: false,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'integ'],
    fileExtensions: ['.ts'],
    commandOptions: { fix: false, extraArgs: ['--max-warnings=0'] },
  },
  // test/tsconfig.json type-checks the integ apps too.
  tsconfigDev: { compilerOptions: {}, include: ['../integ/**/*.ts'] },

  // integ/ is verified by our own task with the real CDK CLI (integ-runner cannot read current assemblies).
  integrationTestAutoDiscover: false,
  experimentalIntegRunner: false,

  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_24_X,
    bundlingOptions: { sourcemap: false },
    awsSdkConnectionReuse: false,
  },

  devDeps: [
    `aws-cdk-lib@${DEV_CDK_VERSION}`,
    'constructs@10.5.1',
    'aws-cdk@^2.1148.0',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    '@aws-cdk/aws-amplify-alpha@2.269.0-alpha.0',
    'cdk-nag@^2.38.2',
    '@types/aws-lambda',
    '@aws-sdk/client-codestar-connections',
    '@aws-sdk/client-codepipeline',
    // The JobWorker dispatcher invokes the user's function. The release of the other clients, so they share one @aws-sdk/core.
    '@aws-sdk/client-lambda@3.1138.0',
    '@aws-sdk/client-cloudwatch',
    // The JobWorker dispatcher keeps results it could not report, and jobs it could not start, in an SQS queue,
    // and schedules a follow-up poll (a one-time EventBridge Scheduler schedule) while work is in flight.
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-scheduler',
    '@aws-sdk/client-amplify',
    '@aws-sdk/client-codeartifact',
    '@aws-sdk/client-codecatalyst@3.693.0',
    '@aws-sdk/client-secrets-manager',
    '@aws-sdk/client-s3',
    '@aws-sdk/client-cloudformation',
    '@aws-sdk/client-sts',
    // CodeCatalyst's SSO session: the handlers refresh its access token (CreateToken). The release already in the tree.
    '@aws-sdk/client-sso-oidc@^3.1164.0',
    'aws-sdk-client-mock',
    'aws-sdk-client-mock-jest',
    // test/kit/environment.ts: the jest environment that loads CloudFormation's validator once per worker.
    'jest-environment-node@^30',
    '@jest/environment@^30',
  ],
  gitignore: ['/.jsii.tabl.json', '/cdk.out/', '/bench.out/', '/.integ.out/', 'integ/**/*.snapshot/asset.*', '/dist-code-only/'],
  npmignoreEnabled: true,
  npmIgnoreOptions: { ignorePatterns: ['/integ/', '/bench.out/', '/cdk.out/', '/.ci/'] },
});

// `engines`: aws-cdk-lib's own floor (projen's minNodeVersion would also pin @types/node to that major).
project.package.addEngine('node', '>= 20.0.0');

// jest's summary reporter prints failures and the totals only; projen's list always starts with 'default'.
project.package.file.addOverride('jest.reporters', [['summary', { summaryThreshold: 0 }], ['jest-junit', { outputDirectory: 'test-reports' }]]);

// Install scripts are off by default in npm 11. Neither is needed: esbuild runs from its platform package and
// @parcel/watcher (projen's file watching) ships prebuilt binaries. Denying them explicitly keeps installs quiet.
project.package.addField('allowScripts', { 'esbuild': false, '@parcel/watcher': false });

// jsii 6 prints a banner on Node 20 (end of life for jsii); the build still works.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('TS_NODE_PROJECT', 'test/tsconfig.json');
// projen evaluates `$(npx -c "node --print process.env.PATH")` before every task and subtask (0.6 s each) to put
// node_modules/.bin on the PATH. `npx projen` and npm scripts put it there already, and every command here runs
// through one of them.
delete (project.tasks as unknown as { _env: Record<string, string> })._env.PATH;

// Lets eslint's project service find the integ apps.
new JsonFile(project, 'integ/tsconfig.json', {
  obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts', '../test/**/*.ts'] },
  marker: false,
});

// We deliberately build against a newer aws-cdk-lib than the peer minimum (for its CloudFormation validator).
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');

// Handler logic beside the *.lambda.ts entries is bundled by esbuild; the AWS SDK comes from the Lambda runtime.
project.eslint?.allowDevDeps('src/**/{custom-resources,functions,runtime,provider}/**/*.ts');

// `eslint` reports; `eslint:fix` rewrites on purpose.
project.addTask('eslint:fix', {
  description: 'Rewrite auto-fixable lint problems',
  exec: 'eslint --ext .ts --fix --no-error-on-unmatched-pattern src test integ .projenrc.ts',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
});

// esbuild reports only warnings and errors, not each bundle's size (the bench reports sizes). Bundles are minified,
// keeping names for readable stack traces (projen's Lambda bundling options have no minify setting).
const ESBUILD_OPTIONS = '--minify --keep-names --log-level=warning';
for (const task of project.tasks.all.filter(t => t.name.startsWith('bundle:'))) {
  const step = task.steps[0];
  const exec = step?.execArgs?.join(' ') ?? step?.exec;
  // The routers (src/provider/*.lambda.ts) require each family's bundle beside them, on its first event.
  const families = task.name.startsWith('bundle:provider/') ? ' --external:./bundles/*' : '';
  if (exec && !exec.includes('--log-level')) task.reset(`${exec}${families} ${ESBUILD_OPTIONS}`);
}

// Everything that synthesizes the library's constructs needs the bundled handlers in assets/ (git ignores them).
const bundle = project.tasks.tryFind('bundle')!;

// Each family of custom resources (src/provider/bundles/*.ts) is its own bundle in both routers' asset directories,
// so a cold start loads one family's handlers and AWS SDK clients; each bundle has its own copy of the kit's code.
const familyBundles = project.addTask('bundle:provider/bundles', {
  description: 'Bundle each custom-resource family (src/provider/bundles/*.ts) beside the routers that load it',
  steps: ['on-event', 'is-complete'].flatMap(router => {
    const outdir = `assets/provider/${router}.lambda/bundles`;
    return [
      { exec: `rm -rf ${outdir}` },
      {
        exec: `esbuild --bundle src/provider/bundles/*.ts --target=node24 --platform=node --outdir=${outdir} `
          + `--tsconfig=test/tsconfig.json --external:@aws-sdk/* ${ESBUILD_OPTIONS}`,
      },
    ];
  }),
});
bundle.spawn(familyBundles);

const tsNode = 'ts-node --transpile-only --project test/tsconfig.json';
const integVerify = project.addTask('integ:verify', {
  description: 'Synthesize every integ/**/integ.*.ts app with the CDK CLI and compare it with its committed snapshot',
  exec: `${tsNode} test/tools/integ-snapshots.ts verify`,
  receiveArgs: true,
});
integVerify.prependSpawn(bundle);
project.addTask('integ:snapshot', {
  description: 'Refresh the committed integ snapshots on purpose (review the diff before committing)',
  exec: `${tsNode} test/tools/integ-snapshots.ts update`,
  receiveArgs: true,
}).prependSpawn(bundle);
project.testTask.spawn(integVerify);

project.addTask('test:coverage', {
  description: 'Run the jest suite with coverage: coverage/ has the report (the test task runs without it, for speed)',
  exec: 'jest --coverage --coverageReporters=lcov --coverageReporters=text-summary',
  receiveArgs: true,
});

// Every `ts` block of the READMEs and every @example of the API docs must compile: jsii-rosetta, strict, with
// the fixtures in rosetta/. Its compile directory resolves `cdk-devtools` to this package (a link) and
// everything else (aws-cdk-lib, @types/node) from our node_modules, so nothing is installed. It writes the
// translations to .jsii.tabl.json beside the assembly (ignored by git), and would reuse them as a cache next
// time: we delete it first, because that cache keeps a block whose inherited prop was renamed (it checked
// the old name) from being compiled again. test/readme.test.ts runs the blocks.
const ROSETTA_DIR = 'node_modules/.cache/rosetta';
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile every ts block of README.md and src/*/README.md and every @example with jsii-rosetta (strict, fixtures in rosetta/)',
  steps: [
    { exec: `mkdir -p ${ROSETTA_DIR}/node_modules && ln -sfn ../../../.. ${ROSETTA_DIR}/node_modules/cdk-devtools` },
    { exec: 'rm -f .jsii.tabl.json .jsii.tabl.json.gz' },
    // Rosetta 6 always warns 'packages necessary to compile examples missing from supplied directory: , , ,'
    // with an empty list (it counts an empty result per dependency as a failure): that line alone is dropped.
    {
      exec: `bash -c 'set -o pipefail; jsii-rosetta extract --strict --directory ${ROSETTA_DIR} .jsii 2>&1 `
        + '| { grep -v -E "missing from supplied directory: [, ]*$" || true; }\'',
    },
  ],
});
project.postCompileTask.spawn(rosettaExtract);

project.addTask('platform', {
  description: 'The main job: synthesize the example platform app into cdk.out/ and print a per-stack summary',
  exec: `${tsNode} test/tools/platform-synth.ts`,
  receiveArgs: true,
}).prependSpawn(bundle);

project.addTask('bench', {
  description: 'Benchmark synth time and template size per construct family against raw L1s (writes bench.out/)',
  exec: `${tsNode} test/bench/bench.ts`,
  receiveArgs: true,
}).prependSpawn(bundle);

// Installable before the package is published: the README's install section builds this tarball.
const pack = project.addTask('pack', {
  description: 'Build the npm package tarball dist/js/cdk-devtools@0.0.0.jsii.tgz (handlers bundled, jsii compiled)',
});
pack.spawn(bundle);
pack.spawn(project.compileTask);
pack.spawn(project.tasks.tryFind('package:js')!);
pack.exec('node -e "console.log(\'npm package: \' + require(\'path\').resolve(\'dist/js/cdk-devtools@0.0.0.jsii.tgz\'))"');

// The library as its users meet it (needs the npm registry): the tarball in a fresh `cdk init` app with every README
// example, synthesized by the CDK CLI, and imported by a project with only its declared dependencies.
project.addTask('consumer', {
  description: 'Install the packed tarball in a fresh `cdk init` app, synthesize every README example there with the CDK CLI, and import it with only its declared dependencies',
  exec: `${tsNode} test/tools/consumer.ts`,
  // The README blocks are read with the test kit, which loads the AWS SDK: its Node.js notice is not the consumer's.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
}).prependSpawn(pack);

// The other languages' names, so the API can be translated (their packages cannot be built here).
project.package.file.addOverride('jsii.targets', {
  python: { distName: 'cdk-devtools', module: 'cdk_devtools' },
  java: { package: 'dev.cdkdevtools', maven: { groupId: 'dev.cdkdevtools', artifactId: 'cdk-devtools' } },
  dotnet: { namespace: 'CdkDevtools', packageId: 'CdkDevtools' },
  go: { moduleName: 'github.com/cdk-devtools/cdk-devtools-go' },
});

project.addTask('pacmak:code-only', {
  description: 'Check that the jsii API translates to Python, Java, C# and Go (sources only; they cannot be built here)',
  exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go -o dist-code-only',
});

project.synth();
