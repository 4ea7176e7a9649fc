import { ApiConstraints } from '../../core/api-constraints';

/**
 * What the CodeConnections API (2023-12-01) documents for the inputs this module sends or synthesizes.
 *
 * The codestar-connections SDK client speaks the same operations and shapes; CodeConnections' own
 * patterns are used because they accept both ARN prefixes.
 */
export const CODECONNECTIONS_API: ApiConstraints = {
  service: 'CodeConnections',
  shapes: {
    BranchName: { type: 'string', min: 1, max: 255, pattern: '^.*$' },
    ConnectionArn: { type: 'string', min: 0, max: 256, pattern: '^arn:aws(-[\\w]+)*:.+:.+:[0-9]{12}:.+$' },
    ConnectionName: { type: 'string', min: 1, max: 32, pattern: '^[\\s\\S]*$' },
    DeploymentFilePath: { type: 'string' },
    HostArn: { type: 'string', min: 0, max: 256, pattern: '^arn:aws(-[\\w]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host\\/.+$' },
    HostName: { type: 'string', min: 1, max: 64, pattern: '.*' },
    IamRoleArn: { type: 'string', min: 1, max: 1024, pattern: '^arn:aws(-[\\w]+)*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+$' },
    KmsKeyArn: { type: 'string', min: 1, max: 1024, pattern: '^arn:aws(-[\\w]+)*:kms:[a-z\\-0-9]+:\\d{12}:key/[a-zA-Z0-9\\-]+$' },
    MaxResults: { type: 'integer', min: 0, max: 100 },
    NextToken: { type: 'string', min: 1, max: 1024, pattern: '^.*$' },
    OwnerId: { type: 'string', min: 1, max: 255, pattern: '^.*$' },
    ProviderType: { type: 'enum', values: ['Bitbucket', 'GitHub', 'GitHubEnterpriseServer', 'GitLab', 'GitLabSelfManaged'] },
    PublishDeploymentStatus: { type: 'enum', values: ['ENABLED', 'DISABLED'] },
    PullRequestComment: { type: 'enum', values: ['ENABLED', 'DISABLED'] },
    RepositoryLinkId: { type: 'string', pattern: '^[0-9a-fA-F]{8}\\b-[0-9a-fA-F]{4}\\b-[0-9a-fA-F]{4}\\b-[0-9a-fA-F]{4}\\b-[0-9a-fA-F]{12}$' },
    RepositoryName: { type: 'string', min: 1, max: 128, pattern: '^.*$' },
    ResourceName: { type: 'string', min: 1, max: 100, pattern: '^[0-9A-Za-z]+[0-9A-Za-z_\\\\-]*$' },
    SecurityGroupId: { type: 'string', min: 11, max: 20, pattern: '^sg-\\w{8}(\\w{9})?$' },
    SecurityGroupIds: { type: 'list', min: 1, max: 10, member: 'SecurityGroupId' },
    SubnetId: { type: 'string', min: 15, max: 24, pattern: '^subnet-\\w{8}(\\w{9})?$' },
    SubnetIds: { type: 'list', min: 1, max: 10, member: 'SubnetId' },
    SyncConfigurationType: { type: 'enum', values: ['CFN_STACK_SYNC'] },
    Tag: { type: 'structure', members: { Key: { shape: 'TagKey', required: true }, Value: { shape: 'TagValue', required: true } } },
    TagKey: { type: 'string', min: 1, max: 128, pattern: '.*' },
    TagList: { type: 'list', min: 0, max: 200, member: 'Tag' },
    TagValue: { type: 'string', min: 0, max: 256, pattern: '.*' },
    TlsCertificate: { type: 'string', min: 1, max: 16384, pattern: '^[\\s\\S]*$' },
    TriggerResourceUpdateOn: { type: 'enum', values: ['ANY_CHANGE', 'FILE_CHANGE'] },
    Url: { type: 'string', min: 1, max: 512, pattern: '.*' },
    VpcConfiguration: {
      type: 'structure',
      members: {
        VpcId: { shape: 'VpcId', required: true },
        SubnetIds: { shape: 'SubnetIds', required: true },
        SecurityGroupIds: { shape: 'SecurityGroupIds', required: true },
        TlsCertificate: { shape: 'TlsCertificate' },
      },
    },
    VpcId: { type: 'string', min: 12, max: 21, pattern: '^vpc-\\w{8}(\\w{9})?$' },
  },
  operations: {
    CreateConnection: {
      ProviderType: { shape: 'ProviderType' },
      ConnectionName: { shape: 'ConnectionName', required: true },
      Tags: { shape: 'TagList' },
      HostArn: { shape: 'HostArn' },
    },
    CreateHost: {
      Name: { shape: 'HostName', required: true },
      ProviderType: { shape: 'ProviderType', required: true },
      ProviderEndpoint: { shape: 'Url', required: true },
      VpcConfiguration: { shape: 'VpcConfiguration' },
      Tags: { shape: 'TagList' },
    },
    CreateRepositoryLink: {
      ConnectionArn: { shape: 'ConnectionArn', required: true },
      OwnerId: { shape: 'OwnerId', required: true },
      RepositoryName: { shape: 'RepositoryName', required: true },
      EncryptionKeyArn: { shape: 'KmsKeyArn' },
      Tags: { shape: 'TagList' },
    },
    CreateSyncConfiguration: {
      Branch: { shape: 'BranchName', required: true },
      ConfigFile: { shape: 'DeploymentFilePath', required: true },
      RepositoryLinkId: { shape: 'RepositoryLinkId', required: true },
      ResourceName: { shape: 'ResourceName', required: true },
      RoleArn: { shape: 'IamRoleArn', required: true },
      SyncType: { shape: 'SyncConfigurationType', required: true },
      PublishDeploymentStatus: { shape: 'PublishDeploymentStatus' },
      TriggerResourceUpdateOn: { shape: 'TriggerResourceUpdateOn' },
      PullRequestComment: { shape: 'PullRequestComment' },
    },
    GetConnection: {
      ConnectionArn: { shape: 'ConnectionArn', required: true },
    },
    GetHost: {
      HostArn: { shape: 'HostArn', required: true },
    },
    GetResourceSyncStatus: {
      ResourceName: { shape: 'ResourceName', required: true },
      SyncType: { shape: 'SyncConfigurationType', required: true },
    },
    GetSyncBlockerSummary: {
      ResourceName: { shape: 'ResourceName', required: true },
      SyncType: { shape: 'SyncConfigurationType', required: true },
    },
    ListConnections: {
      ProviderTypeFilter: { shape: 'ProviderType' },
      HostArnFilter: { shape: 'HostArn' },
      MaxResults: { shape: 'MaxResults' },
      NextToken: { shape: 'NextToken' },
    },
    ListHosts: {
      MaxResults: { shape: 'MaxResults' },
      NextToken: { shape: 'NextToken' },
    },
  },
};
