import { Arn, ArnFormat, Fn, ResourceProps, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { requireArnEnvironment } from '../../core/arn';
import { ValidationError } from '../../core/validation';
import type { IApp } from '../app';

/** An Amplify resource type that has an ARN, as IAM's service authorization reference writes it. */
export interface AmplifyArnKind {
  /** The import's parameter, as the user wrote it, e.g. `branchArn`. */
  readonly prop: string;
  /** What the ARN names, for messages, e.g. `Amplify branch`. */
  readonly what: string;
  /** The path below `apps/<app id>/`, e.g. `branches`; undefined for an app or a webhook. */
  readonly child?: string;
  /** The resource type right after the account, `apps` or `webhooks`. */
  readonly resource: 'apps' | 'webhooks';
  /** The expected form, for messages. */
  readonly form: string;
  /** Where the user finds the ARN, for messages. */
  readonly where: string;
}

export const APP_ARN: AmplifyArnKind = {
  prop: 'appArn',
  what: 'Amplify app',
  resource: 'apps',
  form: 'arn:<partition>:amplify:<region>:<account>:apps/<app id>',
  where: 'copy it from `aws amplify get-app --app-id <app id>` (app.appArn), or import with App.fromAppId() in a stack of that account and region',
};
export const BRANCH_ARN: AmplifyArnKind = {
  prop: 'branchArn',
  what: 'Amplify branch',
  resource: 'apps',
  child: 'branches',
  form: 'arn:<partition>:amplify:<region>:<account>:apps/<app id>/branches/<branch name>',
  where: 'copy it from `aws amplify get-branch --app-id <app id> --branch-name <name>` (branch.branchArn), or use Branch.fromBranchAttributes()',
};
export const DOMAIN_ARN: AmplifyArnKind = {
  prop: 'domainArn',
  what: 'Amplify domain association',
  resource: 'apps',
  child: 'domains',
  form: 'arn:<partition>:amplify:<region>:<account>:apps/<app id>/domains/<domain name>',
  where: 'copy it from `aws amplify get-domain-association --app-id <app id> --domain-name <domain>` (domainAssociation.domainAssociationArn), '
    + 'or use Domain.fromDomainAttributes()',
};
export const BACKEND_ENVIRONMENT_ARN: AmplifyArnKind = {
  prop: 'backendEnvironmentArn',
  what: 'Amplify backend environment',
  resource: 'apps',
  child: 'backendenvironments',
  form: 'arn:<partition>:amplify:<region>:<account>:apps/<app id>/backendenvironments/<environment name>',
  where: 'copy it from `aws amplify get-backend-environment --app-id <app id> --environment-name <name>`, '
    + 'or use BackendEnvironment.fromBackendEnvironmentAttributes()',
};
export const WEBHOOK_ARN: AmplifyArnKind = {
  prop: 'webhookArn',
  what: 'Amplify webhook',
  resource: 'webhooks',
  form: 'arn:<partition>:amplify:<region>:<account>:webhooks/<webhook id>',
  where: 'copy it from `aws amplify list-webhooks --app-id <app id>` (webhooks[].webhookArn)',
};

/** What an Amplify ARN holds. For a token ARN every member is a token (parts of the `/`-split ARN). */
export interface AmplifyArnParts {
  /** The app's id (for an app and its children), or the webhook's id. */
  readonly id: string;
  /** The app's ARN (for an app and its children). */
  readonly appArn: string;
  /** The child's name (branch, domain, environment); empty for an app or a webhook. */
  readonly name: string;
}

/**
 * Parses an Amplify ARN for an import, refusing a literal one that is malformed or lacks the account or region
 * (the import's environment comes from the ARN). A token ARN is taken as it is: its parts are deploy-time
 * selections of the `/`-separated ARN.
 *
 * @param scope the scope the import's static factory was given, and `importId` the import's id: a malformed ARN is
 *   refused against the import it would have created
 */
export function parseAmplifyArn(scope: IConstruct, importId: string, kind: AmplifyArnKind, arn: string): AmplifyArnParts {
  if (Token.isUnresolved(arn)) {
    const parts = Fn.split('/', arn);
    const head = Fn.select(0, parts);
    const id = Fn.select(1, parts);
    return { id, appArn: kind.resource === 'apps' ? Fn.join('/', [head, id]) : '', name: kind.child ? Fn.select(3, parts) : '' };
  }
  const refuse = (problem: string): never => {
    throw new ValidationError(`invalid ${kind.prop} '${arn}': ${problem}; expected ${kind.form}. To fix it, ${kind.where}`, scope, importId);
  };
  let components;
  try {
    components = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    return refuse('it is not an ARN');
  }
  if (components.service !== 'amplify') refuse(`its service is '${components.service}', not 'amplify'`);
  requireArnEnvironment(scope, importId, arn, { what: kind.what, format: kind.form, fix: `To fix it, ${kind.where}.` });
  if (components.resource !== kind.resource) refuse(`its resource type is '${components.resource}', not '${kind.resource}'`);
  const rest = components.resourceName ?? '';
  const [id, child, ...name] = rest.split('/');
  if (!id) refuse(`it names no ${kind.resource === 'apps' ? 'app id' : 'webhook id'}`);
  if (kind.child === undefined ? child !== undefined : child !== kind.child || name.join('/') === '') {
    refuse(kind.child === undefined ? `it has more than the ${kind.resource === 'apps' ? 'app id' : 'webhook id'} after '${kind.resource}/'`
      : `it does not continue with '/${kind.child}/<name>' after the app id`);
  }
  const appArn = kind.resource === 'apps' ? arn.slice(0, arn.length - rest.length + id.length) : '';
  return { id, appArn, name: name.join('/') };
}

/**
 * The environment of an import whose ARN is built from its app's: the account and region of the app's ARN when it
 * is literal (an app imported with `App.fromAppArn()`; checked like a given ARN), else the app's own environment.
 */
export function childImportProps(scope: IConstruct, importId: string, app: IApp): ResourceProps {
  if (!Token.isUnresolved(app.appArn)) {
    parseAmplifyArn(scope, importId, APP_ARN, app.appArn);
    return { environmentFromArn: app.appArn };
  }
  return { account: app.env.account, region: app.env.region };
}

/**
 * Whether two apps are the same Amplify app: the same construct, or imports with the same literal id in the same
 * literal account and region (e.g. an app imported by itself and the app of a branch imported from its ARN).
 */
export function isSameApp(a: IApp, b: IApp): boolean {
  if (a === b) return true;
  const literal = (v: string) => !Token.isUnresolved(v);
  return literal(a.appId) && a.appId === b.appId
    && literal(a.env.account) && a.env.account === b.env.account
    && literal(a.env.region) && a.env.region === b.env.region;
}
