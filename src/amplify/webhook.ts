import { IResource, Resource } from 'aws-cdk-lib';
import { CfnWebhook } from 'aws-cdk-lib/aws-amplify';
import { Construct } from 'constructs';
import { IApp } from './app';
import { IBranch } from './branch';
import { AMPLIFY_API } from './private/api-constraints';
import { WEBHOOK_ARN, isSameApp, parseAmplifyArn } from './private/arn';
import { FIX } from './private/fixes';
import { validateApiValue } from '../core/api-constraints';
import { ValidationError } from '../core/validation';

/**
 * An incoming webhook of an Amplify app, defined in this app or imported.
 */
export interface IWebhook extends IResource {
  /**
   * The webhook's ARN.
   * @attribute
   */
  readonly webhookArn: string;

  /**
   * The webhook's id.
   * @attribute
   */
  readonly webhookId: string;
}

/** Options of a webhook, for `app.addWebhook()`. */
export interface WebhookOptions {
  /** The branch a call to the webhook builds. */
  readonly branch: IBranch;

  /**
   * A description.
   * @default - none
   */
  readonly description?: string;
}

/** Properties of a webhook. */
export interface WebhookProps extends WebhookOptions {
  /** The app. */
  readonly app: IApp;
}

/**
 * Defines an incoming webhook: a URL that starts a build of one branch when it receives a POST.
 *
 * Treat `webhookUrl` like a credential: anyone who has it can start builds. Do not print it in a
 * stack output or a log; hand it to the system that calls it through a secret store.
 *
 * @example
 * const hook = app.addWebhook('ContentPublished', { branch: main, description: 'rebuild when the CMS publishes' });
 */
export class Webhook extends Resource implements IWebhook {
  /**
   * Imports a webhook from its ARN, `arn:<partition>:amplify:<region>:<account>:webhooks/<webhook id>`. The import's
   * account and region (`env`) are the ARN's; a literal ARN without them is refused. Its URL cannot be imported:
   * it holds a token that only Amplify knows.
   *
   * A token ARN is not checked: the webhook id is then the deploy-time second `/`-separated part of the ARN, and
   * `env.account` and `env.region` are deploy-time parts of it too.
   */
  public static fromWebhookArn(scope: Construct, id: string, webhookArn: string): IWebhook {
    const parts = parseAmplifyArn(scope, id, WEBHOOK_ARN, webhookArn);
    class Import extends Resource implements IWebhook {
      public readonly webhookArn = webhookArn;
      public readonly webhookId = parts.id;
    }
    return new Import(scope, id, { environmentFromArn: webhookArn });
  }

  public readonly webhookArn: string;
  public readonly webhookId: string;
  /**
   * The URL that starts a build. It is credential-like: anyone who has it can start builds.
   * @attribute
   */
  public readonly webhookUrl: string;

  constructor(scope: Construct, id: string, props: WebhookProps) {
    super(scope, id);
    if (!isSameApp(props.branch.app, props.app)) {
      throw new ValidationError(`branch ${props.branch.node.path} belongs to another app; a webhook builds a branch of its own app`, this);
    }
    validateApiValue(this, AMPLIFY_API, 'Description', 'description', props.description, FIX.description);
    const resource = new CfnWebhook(this, 'Resource', {
      appId: props.app.appId,
      branchName: props.branch.branchName,
      description: props.description,
    });
    this.webhookArn = resource.attrArn;
    this.webhookId = resource.attrWebhookId;
    this.webhookUrl = resource.attrWebhookUrl;
  }
}
