import { SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { IConstruct } from 'constructs';
import { AMPLIFY_API } from './api-constraints';
import { describeValue, validateApiValue } from '../../core/api-constraints';
import { ValidationError } from '../../core/validation';

/** The environment variable Amplify reads to pick one app of a monorepo. */
export const MONOREPO_APP_ROOT_VARIABLE = 'AMPLIFY_MONOREPO_APP_ROOT';

/**
 * Renders a secret for a template property, refusing a value that would land in the template as plain text.
 *
 * Secrets Manager dynamic references (`{{resolve:secretsmanager:...}}`) and references to NoEcho parameters
 * or resource attributes are accepted; `SecretValue.unsafePlainText()` is not, and neither is
 * `SecretValue.ssmSecure()`, which CloudFormation resolves only in a few resource types, not Amplify's.
 */
export function renderSecret(scope: IConstruct, prop: string, secret: SecretValue): string {
  // What the SecretValue wraps, as a token: a dynamic reference or an intrinsic for a real secret, a plain string for
  // `unsafePlainText()`. Resolving the SecretValue itself would throw under `@aws-cdk/core:checkSecretUsage`, and the
  // L1 gets this same token, so the template holds the reference CloudFormation resolves at deploy time.
  const wrapped = secret.unsafeUnwrap();
  const resolved = Token.isUnresolved(wrapped) ? Stack.of(scope).resolve(wrapped) : wrapped;
  const fix = 'Keep it in Secrets Manager and pass SecretValue.secretsManager(\'<secret name or ARN>\'), '
    + 'which renders as a dynamic reference that CloudFormation resolves at deploy time';
  if (typeof resolved === 'string' && resolved.includes('{{resolve:ssm-secure:')) {
    throw new ValidationError(`\`${prop}\` is an SSM SecureString reference, which CloudFormation does not resolve in Amplify resources. ${fix}`, scope);
  }
  if (typeof resolved === 'string' && !resolved.includes('{{resolve:')) {
    throw new ValidationError(`\`${prop}\` would be written to the template in plain text. ${fix}`, scope);
  }
  // Safe usage: the value is a dynamic reference or an intrinsic, checked above.
  return wrapped;
}

/** An environment variable map that rejects duplicate keys and checks names and values against the API. */
export class EnvironmentVariables {
  private readonly variables: Record<string, string> = {};

  constructor(private readonly scope: IConstruct, private readonly what: string) {}

  public add(name: string, value: string): void {
    validateApiValue(this.scope, AMPLIFY_API, 'EnvKey', `${this.what} name`, name,
      'Name the variable as your build reads it (process.env.NAME or $NAME in the build spec), e.g. API_URL');
    validateApiValue(this.scope, AMPLIFY_API, 'EnvValue', `${this.what} '${name}'`, value,
      'Keep large values (JSON configuration, certificates) in a file in the repository or in SSM Parameter Store, and read them in the build spec');
    if (!Token.isUnresolved(name) && name.length === 0) {
      throw new ValidationError(`${this.what} names cannot be empty. Give the variable a name`, this.scope);
    }
    if (name in this.variables) {
      throw new ValidationError(`${this.what} '${name}' is already set (to ${describeValue(this.variables[name])}). `
        + 'Each variable can be set once: remove the duplicate', this.scope);
    }
    this.variables[name] = value;
  }

  public get(name: string): string | undefined {
    return this.variables[name];
  }

  /** The CloudFormation list, or undefined when empty. */
  public render(): Array<{ name: string; value: string }> | undefined {
    const entries = Object.entries(this.variables).map(([name, value]) => ({ name, value }));
    return entries.length > 0 ? entries : undefined;
  }
}

/** The object behind `BuildSpec.fromObject()`/`fromObjectToYaml()`; aws-cdk-lib keeps it public at runtime only. */
function specObject(spec: codebuild.BuildSpec): Record<string, unknown> | undefined {
  const value = (spec as unknown as { spec?: unknown }).spec;
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/**
 * Renders a build spec for Amplify, which needs it inline; with a monorepo `appRoot`, wraps a single-app
 * spec in `applications: [{ appRoot, ... }]` and checks a spec that already has `applications:` names it.
 */
export function renderBuildSpec(
  scope: IConstruct, prop: string, spec: codebuild.BuildSpec | undefined, appRoot: string | undefined,
): string | undefined {
  if (!spec) return undefined;
  if (!spec.isImmediate) {
    throw new ValidationError(`\`${prop}\` must be inline: Amplify does not read a build spec file name from a CodeBuild source. `
      + 'Use BuildSpec.fromObjectToYaml({...}), or leave it out to use the amplify.yml in the repository', scope);
  }
  let rendered: string;
  const object = specObject(spec);
  if (appRoot === undefined || Token.isUnresolved(appRoot)) {
    rendered = spec.toBuildSpec(scope);
  } else if (object) {
    const reshaped = withAppRoot(scope, prop, object, appRoot);
    // Amplify reads build specs as YAML (JSON is YAML too), so the reshaped spec is always written as YAML.
    rendered = codebuild.BuildSpec.fromObjectToYaml(reshaped).toBuildSpec(scope);
  } else {
    rendered = spec.toBuildSpec(scope);
    if (!Token.isUnresolved(rendered) && !rendered.includes(`appRoot: ${appRoot}`)) {
      throw new ValidationError(`\`${prop}\` does not list the app root '${appRoot}' under \`applications:\`. `
        + 'Pass the build spec with BuildSpec.fromObjectToYaml({ version: 1, frontend: {...} }) so it is wrapped for you, or add the entry yourself', scope);
    }
  }
  validateApiValue(scope, AMPLIFY_API, 'BuildSpec', prop, rendered,
    'Leave the build spec out of the stack and commit it to the repository root as amplify.yml, which Amplify reads on every build');
  return rendered;
}

function withAppRoot(scope: IConstruct, prop: string, spec: Record<string, unknown>, appRoot: string): Record<string, unknown> {
  const applications = spec.applications;
  if (applications === undefined) {
    const { version, ...rest } = spec;
    return { version: version ?? 1, applications: [{ appRoot, ...rest }] };
  }
  const roots = Array.isArray(applications) ? applications.map(a => (a as Record<string, unknown>)?.appRoot) : [];
  if (!roots.includes(appRoot)) {
    throw new ValidationError(`\`${prop}\` lists the app roots ${describeValue(roots)} under \`applications:\`, `
      + `but the app's appRoot is '${appRoot}'. Add an entry with appRoot: ${appRoot}, or pass a single-app spec and let it be wrapped`, scope);
  }
  return spec;
}

/** Checks a monorepo app root: a relative path inside the repository. */
export function validateAppRoot(scope: IConstruct, appRoot: string | undefined): void {
  if (appRoot === undefined || Token.isUnresolved(appRoot)) return;
  if (appRoot.length === 0 || appRoot.startsWith('/') || appRoot.split('/').includes('..') || /\s/.test(appRoot)) {
    throw new ValidationError(`invalid appRoot '${appRoot}'. `
      + 'Give the app\'s folder relative to the repository root, without a leading slash, spaces or \'..\' (for example apps/web)', scope);
  }
}
