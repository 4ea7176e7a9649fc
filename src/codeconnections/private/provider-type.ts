import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationError } from '../../core/validation';
import { ProviderType } from '../provider-type';

/**
 * Fails at synth when a provider type cannot be one: CodeConnections names them with a single word (`GitHub`,
 * `AzureDevOps`). The set is open (`ProviderType.of`), so no list of values is enforced.
 */
export function checkProviderType(scope: IConstruct, prop: string, providerType: ProviderType | undefined): void {
  const value = providerType?.value;
  if (value !== undefined && !Token.isUnresolved(value) && !/^[A-Za-z]+$/.test(value)) {
    throw new ValidationError(`invalid ${prop}: '${value}' (from ProviderType.of) is not a provider type; CodeConnections names `
      + 'them with a single word of letters. Use a ProviderType constant, e.g. ProviderType.GITHUB, or the name as '
      + '`aws codeconnections list-connections` shows it in providerType, e.g. ProviderType.of(\'AzureDevOps\')', scope);
  }
}
