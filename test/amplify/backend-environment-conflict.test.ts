import { AmplifyClient, CreateBackendEnvironmentCommand } from '@aws-sdk/client-amplify';
import { onBackendEnvironmentEvent } from '../../src/amplify/private/custom-resources/backend-environment';
import { awsError, createEvent, handlerMocks } from '../kit';

// A second CreateBackendEnvironment of the same name is a conflict, not a permissions or values problem.
const [mock] = handlerMocks(AmplifyClient);
const client = new AmplifyClient({ region: 'us-east-1' });
const props = { AppId: 'd1a2b3c4d5e6f7', EnvironmentName: 'staging', StackName: 'amplify-site-staging' };

test('an environment that already exists gets its own advice', async () => {
  mock.on(CreateBackendEnvironmentCommand).rejects(awsError('BadRequestException', 'backend environment staging already exists'));
  const failure = onBackendEnvironmentEvent(client, createEvent(props));
  await expect(failure).rejects.toThrow(/already exists in the app .*choose another environment name, or delete the existing one .*then retry the deployment/);
  await expect(onBackendEnvironmentEvent(client, createEvent(props))).rejects.not.toThrow(/permission/);
});
