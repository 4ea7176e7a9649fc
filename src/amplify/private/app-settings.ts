import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** What branches and domains need to know about an app defined in this CDK app (imports have none). */
export interface AppSettings {
  /** The platform, when the app is defined here. */
  readonly platform: string;
  /** The monorepo app root, when set. */
  readonly appRoot?: string;
  /** The app's service role. */
  readonly serviceRole: iam.IRole;
  /** Whether the app is connected to a repository (it has a source code provider). */
  readonly hasRepository: boolean;
}

const SETTINGS = new WeakMap<IConstruct, AppSettings>();

/** Records the settings of an app defined in this CDK app. */
export function registerAppSettings(app: IConstruct, settings: AppSettings): void {
  SETTINGS.set(app, settings);
}

/** The settings of an app defined in this CDK app, or undefined for an imported one. */
export function appSettings(app: IConstruct): AppSettings | undefined {
  return SETTINGS.get(app);
}

/** Whether a platform runs server-side code (and so takes a compute role). */
export function isServerSide(platform: string): boolean {
  return platform === 'WEB_COMPUTE' || platform === 'WEB_DYNAMIC';
}
