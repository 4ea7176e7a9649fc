/** The form of a custom action type's ARN, for messages. */
export const ACTION_TYPE_ARN_FORMAT = 'arn:<partition>:codepipeline:<region>:<account>:actiontype:Custom/<category>/<provider>/<version>';

const ACTION_TYPE_ARN = /^arn:(aws[a-z-]*):codepipeline:([a-z0-9-]+):(\d{12}):actiontype:Custom\/([A-Za-z]+)\/([^/]+)\/([^/]+)$/;

/** The parts of a custom action type ARN. */
export interface ActionTypeArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly category: string;
  readonly provider: string;
  readonly version: string;
}

/** The parts of a literal custom action type ARN, or undefined when it is not one. */
export function parseActionTypeArn(arn: string): ActionTypeArnParts | undefined {
  const m = ACTION_TYPE_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], region: m[2], account: m[3], category: m[4], provider: m[5], version: m[6] };
}
