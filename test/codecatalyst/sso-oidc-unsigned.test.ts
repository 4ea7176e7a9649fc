import { Readable } from 'stream';
import { CreateTokenCommand, CreateTokenWithIAMCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';

// Why the kit role holds no statement for refreshing an SSO session: the AWS SDK sends SSO OIDC's CreateToken with no
// auth scheme (the client's id and secret and the refresh token in its body authenticate it), so no credentials are
// resolved and no request is signed, and the Service Authorization Reference lists no IAM action for it. The same
// client signs CreateTokenWithIAM, which shows that the test tells the two apart. Nothing leaves the process.
function recordingClient() {
  const requests: Array<{ hostname: string; path: string; headers: Record<string, string> }> = [];
  const credentials = jest.fn(async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' }));
  const client = new SSOOIDCClient({
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { hostname: string; path: string; headers: Record<string, string> }) => {
        requests.push(request);
        const body = JSON.stringify({ accessToken: 'a', tokenType: 'Bearer', expiresIn: 3600, refreshToken: 'r' });
        return { response: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Readable.from([Buffer.from(body)]) } };
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    } as any,
  });
  return { client, requests, credentials };
}

test('CreateToken goes to the regional OIDC endpoint unsigned, without resolving credentials', async () => {
  const { client, requests, credentials } = recordingClient();
  await expect(client.send(new CreateTokenCommand({ clientId: 'id', clientSecret: 'secret', grantType: 'refresh_token', refreshToken: 'r0' })))
    .resolves.toMatchObject({ accessToken: 'a', expiresIn: 3600 });
  expect(requests.map(r => `${r.hostname}${r.path}`)).toEqual(['oidc.us-east-1.amazonaws.com/token']);
  expect(Object.keys(requests[0].headers).map(h => h.toLowerCase())).not.toContain('authorization');
  expect(credentials).not.toHaveBeenCalled();
});

test('CreateTokenWithIAM, by contrast, is signed with the credentials', async () => {
  const { client, requests, credentials } = recordingClient();
  await client.send(new CreateTokenWithIAMCommand({ clientId: 'arn:aws:sso::123456789012:application/ssoins-1/apl-1', grantType: 'refresh_token', refreshToken: 'r0' }));
  expect(credentials).toHaveBeenCalled();
  expect(requests[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d+\/us-east-1\/sso-oauth\/aws4_request/);
});
