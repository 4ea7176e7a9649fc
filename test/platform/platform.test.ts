import { Template } from 'aws-cdk-lib/assertions';
import { buildPlatform } from './platform';
import { expectNagClean, testApp } from '../kit';

describe('example platform', () => {
  test('every stack passes CloudFormation validation and cdk-nag', () => {
    const stacks = buildPlatform(testApp());
    expect(stacks.map(s => s.stackName)).toContain('DeliveryFoundation');
    for (const stack of stacks) {
      Template.fromStack(stack);
      expectNagClean(stack);
    }
  });

  test('the artifact bucket is versioned, encrypted and logged', () => {
    const [foundation] = buildPlatform(testApp());
    Template.fromStack(foundation).hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { LogFilePrefix: 'artifacts/' },
    });
  });
});
