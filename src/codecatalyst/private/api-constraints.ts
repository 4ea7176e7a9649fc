import { NAME_PATTERN, UUID_PATTERN } from './patterns';
import { ApiConstraints } from '../../core/api-constraints';

/**
 * What the CodeCatalyst API (2022-09-28) documents for the inputs of the operations this module's handlers call,
 * and for the props its constructs check at synth.
 *
 * Bounds, patterns and enums are the official API model's. Three shapes are documented rules the model does not
 * encode, and say so: `InstanceType` and `IdeName` (the values the API reference lists), and
 * `PersistentStorageSize` (the reference's note: 16, 32 or 64 GiB, though the model's range is 0 to 64).
 * Members the model constrains in place (an alias, a client token) have their own shape here.
 */
export const CODECATALYST_API: ApiConstraints = {
  service: 'CodeCatalyst',
  shapes: {
    NameString: { type: 'string', min: 3, max: 63, pattern: NAME_PATTERN },
    ProjectDisplayName: { type: 'string', min: 3, max: 63, pattern: '^[a-zA-Z0-9]+(?:[-_\\. ][a-zA-Z0-9]+)*$' },
    ProjectDescription: { type: 'string', min: 0, max: 200, pattern: '^[a-zA-Z0-9]+(?:[-_a-zA-Z0-9.,;:/\\+=?&$% \n\t\r])*$' },
    SourceRepositoryNameString: { type: 'string', min: 1, max: 100, pattern: '^(?!.*[.]git$)[\\w\\-.]*$' },
    SourceRepositoryDescriptionString: { type: 'string', min: 1, max: 255 },
    SourceRepositoryBranchString: { type: 'string', min: 1, max: 100 },
    CommitId: { type: 'string' },
    Uuid: { type: 'string', pattern: UUID_PATTERN },
    ClientToken: { type: 'string', min: 1, max: 1024 },
    WorkflowRunClientToken: { type: 'string', min: 1, max: 64, pattern: '^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$' },
    ListNextToken: { type: 'string', min: 1, max: 10000 },
    WorkflowNextToken: { type: 'string', min: 1, max: 2048 },
    ProjectMaxResults: { type: 'integer', min: 1, max: 100 },
    BranchMaxResults: { type: 'integer', min: 1, max: 50 },
    DevEnvironmentMaxResults: { type: 'integer', min: 1, max: 50 },
    WorkflowMaxResults: { type: 'integer', min: 1, max: 100 },
    CreateAlias: { type: 'string', min: 1, max: 128, pattern: '^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$' },
    UpdateAlias: { type: 'string', max: 128, pattern: '^$|^[a-zA-Z0-9]+(?:[-_\\.][a-zA-Z0-9]+)*$' },
    InstanceType: { type: 'enum', values: ['dev.standard1.small', 'dev.standard1.medium', 'dev.standard1.large', 'dev.standard1.xlarge'] },
    InactivityTimeoutMinutes: { type: 'integer', min: 0, max: 1200 },
    PersistentStorageSize: { type: 'integer', min: 16, max: 64 },
    PersistentStorageConfiguration: { type: 'structure', members: { sizeInGiB: { shape: 'PersistentStorageSize', required: true } } },
    IdeName: { type: 'enum', values: ['Cloud9', 'IntelliJ', 'PyCharm', 'GoLand', 'VSCode'] },
    IdeRuntime: { type: 'string', min: 1, max: 400 },
    IdeConfiguration: { type: 'structure', members: { runtime: { shape: 'IdeRuntime' }, name: { shape: 'IdeName' } } },
    IdeConfigurationList: { type: 'list', min: 0, max: 1, member: 'IdeConfiguration' },
    RepositoryInput: {
      type: 'structure',
      members: { repositoryName: { shape: 'SourceRepositoryNameString', required: true }, branchName: { shape: 'SourceRepositoryBranchString' } },
    },
    RepositoriesInput: { type: 'list', member: 'RepositoryInput' },
  },
  operations: {
    VerifySession: {},
    GetSpace: { name: { shape: 'NameString', required: true } },
    CreateProject: {
      spaceName: { shape: 'NameString', required: true },
      displayName: { shape: 'ProjectDisplayName', required: true },
      description: { shape: 'ProjectDescription' },
    },
    ListProjects: {
      spaceName: { shape: 'NameString', required: true },
      nextToken: { shape: 'ListNextToken' },
      maxResults: { shape: 'ProjectMaxResults' },
    },
    GetProject: { spaceName: { shape: 'NameString', required: true }, name: { shape: 'NameString', required: true } },
    UpdateProject: {
      spaceName: { shape: 'NameString', required: true },
      name: { shape: 'NameString', required: true },
      description: { shape: 'ProjectDescription' },
    },
    DeleteProject: { spaceName: { shape: 'NameString', required: true }, name: { shape: 'NameString', required: true } },
    CreateSourceRepository: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      name: { shape: 'SourceRepositoryNameString', required: true },
      description: { shape: 'SourceRepositoryDescriptionString' },
    },
    GetSourceRepository: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      name: { shape: 'SourceRepositoryNameString', required: true },
    },
    GetSourceRepositoryCloneUrls: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      sourceRepositoryName: { shape: 'SourceRepositoryNameString', required: true },
    },
    DeleteSourceRepository: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      name: { shape: 'SourceRepositoryNameString', required: true },
    },
    CreateSourceRepositoryBranch: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      sourceRepositoryName: { shape: 'SourceRepositoryNameString', required: true },
      name: { shape: 'SourceRepositoryBranchString', required: true },
      headCommitId: { shape: 'CommitId' },
    },
    ListSourceRepositoryBranches: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      sourceRepositoryName: { shape: 'SourceRepositoryNameString', required: true },
      nextToken: { shape: 'ListNextToken' },
      maxResults: { shape: 'BranchMaxResults' },
    },
    CreateDevEnvironment: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      repositories: { shape: 'RepositoriesInput' },
      clientToken: { shape: 'ClientToken' },
      alias: { shape: 'CreateAlias' },
      ides: { shape: 'IdeConfigurationList' },
      instanceType: { shape: 'InstanceType', required: true },
      inactivityTimeoutMinutes: { shape: 'InactivityTimeoutMinutes' },
      persistentStorage: { shape: 'PersistentStorageConfiguration', required: true },
      vpcConnectionName: { shape: 'NameString' },
    },
    ListDevEnvironments: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString' },
      nextToken: { shape: 'ListNextToken' },
      maxResults: { shape: 'DevEnvironmentMaxResults' },
    },
    GetDevEnvironment: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
    },
    UpdateDevEnvironment: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
      alias: { shape: 'UpdateAlias' },
      ides: { shape: 'IdeConfigurationList' },
      instanceType: { shape: 'InstanceType' },
      inactivityTimeoutMinutes: { shape: 'InactivityTimeoutMinutes' },
      clientToken: { shape: 'ClientToken' },
    },
    StartDevEnvironment: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
      ides: { shape: 'IdeConfigurationList' },
      instanceType: { shape: 'InstanceType' },
      inactivityTimeoutMinutes: { shape: 'InactivityTimeoutMinutes' },
    },
    StopDevEnvironment: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
    },
    DeleteDevEnvironment: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
    },
    ListWorkflows: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      nextToken: { shape: 'WorkflowNextToken' },
      maxResults: { shape: 'WorkflowMaxResults' },
    },
    GetWorkflow: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
    },
    StartWorkflowRun: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      workflowId: { shape: 'Uuid', required: true },
      clientToken: { shape: 'WorkflowRunClientToken' },
    },
    GetWorkflowRun: {
      spaceName: { shape: 'NameString', required: true },
      projectName: { shape: 'NameString', required: true },
      id: { shape: 'Uuid', required: true },
    },
  },
};
