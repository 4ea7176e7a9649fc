import { Stack } from 'aws-cdk-lib';
import { AMPLIFY_APP_BRANCH, AMPLIFY_APP_BRANCH_VS_ALPHA, AMPLIFY_CUSTOM_RESOURCE_FAMILIES } from './amplify';
import { CODEARTIFACT_FAMILIES } from './codeartifact';
import { CODECATALYST_FAMILIES } from './codecatalyst';
import { CODECONNECTIONS_FAMILIES } from './codeconnections';
import { CODEPIPELINE_FAMILIES } from './codepipeline';

/**
 * A construct family measured by the benchmark: N instances written with this library, beside the
 * same resources written as raw L1s.
 */
export interface BenchFamily {
  /** The name in the report. */
  readonly name: string;
  /** Whether instances are custom resources (their bytes per extra instance have a target). */
  readonly customResource: boolean;
  /** The most instances one stack holds (CloudFormation's 500 resources), when fewer than the benchmark's 100. @default 100 */
  readonly maxInstances?: number;
  /**
   * The most template bytes an extra instance may add (its target in the report).
   * @default 1536 - the custom resource and its share of a kit role
   */
  readonly maxBytesPerInstance?: number;
  /** Whether the raw side does the same job, so the synth-time ratio has a target. @default true */
  readonly rawIsEquivalent?: boolean;
  /** Adds instance `i` written with this library. */
  ours(stack: Stack, i: number): void;
  /** Adds instance `i` written as raw L1s. */
  raw(stack: Stack, i: number): void;
}

/** Every family measured; each module adds its own. */
export const FAMILIES: BenchFamily[] = [
  ...CODECONNECTIONS_FAMILIES,
  AMPLIFY_APP_BRANCH,
  AMPLIFY_APP_BRANCH_VS_ALPHA,
  ...AMPLIFY_CUSTOM_RESOURCE_FAMILIES,
  ...CODEARTIFACT_FAMILIES,
  ...CODEPIPELINE_FAMILIES,
  ...CODECATALYST_FAMILIES,
];
