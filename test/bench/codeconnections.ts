import { CfnConnection } from 'aws-cdk-lib/aws-codeconnections';
import { BenchFamily } from './families';
import { Connection, ProviderType } from '../../src/codeconnections';

/** The CodeConnections families: a connection, and a connection whose deployment waits for AVAILABLE. */
export const CODECONNECTIONS_FAMILIES: BenchFamily[] = [
  {
    name: 'Connection',
    customResource: false,
    ours: (stack, i) => new Connection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: ProviderType.GITHUB }),
    raw: (stack, i) => new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' }),
  },
  {
    name: 'Connection + wait for AVAILABLE',
    customResource: true,
    ours: (stack, i) => new Connection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: ProviderType.GITHUB, waitForAvailability: true }),
    raw: (stack, i) => new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' }),
  },
  {
    name: 'Connection.fromConnectionName',
    customResource: true,
    ours: (stack, i) => Connection.fromConnectionName(stack, `C${i}`, `c-${i}`),
    raw: (stack, i) => new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' }),
  },
];
