import { ApiConstraints } from '../../core/api-constraints';

/**
 * What the CodePipeline API (2015-07-09) documents for the inputs this module synthesizes and the operations
 * its job workers, approval gates and pipeline controls call.
 *
 * Bounds, patterns and enums are the official API model's (where the 2016 API reference differs, the model
 * is newer and wins: a provider has up to 35 characters, a description up to 160, `Compute` is a category).
 * One shape is not a model shape but a documented rule, and says so: `QueryableConfigurationValue`, the value
 * a pipeline gives a queryable property.
 */
export const CODEPIPELINE_API: ApiConstraints = {
  service: 'CodePipeline',
  shapes: {
    ActionCategory: { type: 'enum', values: ['Source', 'Build', 'Deploy', 'Test', 'Invoke', 'Approval', 'Compute'] },
    ActionConfigurationKey: { type: 'string', min: 1, max: 50 },
    ActionConfigurationMap: { type: 'map', key: 'ActionConfigurationKey', value: 'ActionConfigurationValue' },
    ActionConfigurationProperty: {
      type: 'structure',
      members: {
        name: { shape: 'ActionConfigurationKey', required: true },
        required: { shape: 'boolean', required: true },
        key: { shape: 'boolean', required: true },
        secret: { shape: 'boolean', required: true },
        queryable: { shape: 'boolean' },
        description: { shape: 'Description' },
        type: { shape: 'ActionConfigurationPropertyType' },
      },
    },
    ActionConfigurationPropertyList: { type: 'list', min: 0, max: 10, member: 'ActionConfigurationProperty' },
    ActionConfigurationPropertyType: { type: 'enum', values: ['String', 'Number', 'Boolean'] },
    ActionConfigurationQueryableValue: { type: 'string', min: 1, max: 50, pattern: '^[a-zA-Z0-9_-]+$' },
    ActionConfigurationValue: { type: 'string', min: 1, max: 1000 },
    ActionName: { type: 'string', min: 1, max: 100, pattern: '^[A-Za-z0-9.@\\-_]+$' },
    ActionOwner: { type: 'enum', values: ['AWS', 'ThirdParty', 'Custom'] },
    ActionProvider: { type: 'string', min: 1, max: 35, pattern: '^[0-9A-Za-z_-]+$' },
    ActionRunOrder: { type: 'integer', min: 1, max: 999 },
    ActionTypeId: {
      type: 'structure',
      members: {
        category: { shape: 'ActionCategory', required: true },
        owner: { shape: 'ActionOwner', required: true },
        provider: { shape: 'ActionProvider', required: true },
        version: { shape: 'Version', required: true },
      },
    },
    ActionTypeSettings: {
      type: 'structure',
      members: {
        thirdPartyConfigurationUrl: { shape: 'Url' },
        entityUrlTemplate: { shape: 'UrlTemplate' },
        executionUrlTemplate: { shape: 'UrlTemplate' },
        revisionUrlTemplate: { shape: 'UrlTemplate' },
      },
    },
    ApprovalResult: {
      type: 'structure',
      members: {
        summary: { shape: 'ApprovalSummary', required: true },
        status: { shape: 'ApprovalStatus', required: true },
      },
    },
    ApprovalStatus: { type: 'enum', values: ['Approved', 'Rejected'] },
    ApprovalSummary: { type: 'string', min: 0, max: 512 },
    ApprovalToken: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    ArtifactDetails: {
      type: 'structure',
      members: {
        minimumCount: { shape: 'MinimumArtifactCount', required: true },
        maximumCount: { shape: 'MaximumArtifactCount', required: true },
      },
    },
    ArtifactName: { type: 'string', min: 1, max: 100, pattern: '^[a-zA-Z0-9_\\-]+$' },
    ClientRequestToken: { type: 'string', min: 1, max: 128, pattern: '^[a-zA-Z0-9-]+$' },
    ContinuationToken: { type: 'string', min: 1, max: 2048 },
    CurrentRevision: {
      type: 'structure',
      members: {
        revision: { shape: 'Revision', required: true },
        changeIdentifier: { shape: 'RevisionChangeIdentifier', required: true },
        created: { shape: 'timestamp' },
        revisionSummary: { shape: 'RevisionSummary' },
      },
    },
    Description: { type: 'string', min: 1, max: 160 },
    DisabledReason: { type: 'string', min: 1, max: 300, pattern: '^[a-zA-Z0-9!@ \\(\\)\\.\\*\\?\\-]+$' },
    ExecutionDetails: {
      type: 'structure',
      members: {
        summary: { shape: 'ExecutionSummary' },
        externalExecutionId: { shape: 'ExecutionId' },
        percentComplete: { shape: 'Percentage' },
      },
    },
    ExecutionId: { type: 'string', min: 1, max: 1500 },
    ExecutionSummary: { type: 'string', min: 1, max: 2048 },
    FailureDetails: {
      type: 'structure',
      members: {
        type: { shape: 'FailureType', required: true },
        message: { shape: 'Message', required: true },
        externalExecutionId: { shape: 'ExecutionId' },
      },
    },
    FailureType: { type: 'enum', values: ['JobFailed', 'ConfigurationError', 'PermissionError', 'RevisionOutOfSync', 'RevisionUnavailable', 'SystemUnavailable'] },
    JobId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    MaxBatchSize: { type: 'integer', min: 1 },
    MaximumArtifactCount: { type: 'integer', min: 0, max: 5 },
    Message: { type: 'string', min: 1, max: 5000 },
    MinimumArtifactCount: { type: 'integer', min: 0, max: 5 },
    Nonce: { type: 'string', min: 1, max: 50 },
    OutputVariablesKey: { type: 'string', pattern: '^[A-Za-z0-9@\\-_]+$' },
    OutputVariablesMap: { type: 'map', key: 'OutputVariablesKey', value: 'OutputVariablesValue' },
    OutputVariablesValue: { type: 'string' },
    Percentage: { type: 'integer', min: 0, max: 100 },
    PipelineExecutionId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
    PipelineName: { type: 'string', min: 1, max: 100, pattern: '^[A-Za-z0-9.@\\-_]+$' },
    PipelineVariable: {
      type: 'structure',
      members: {
        name: { shape: 'PipelineVariableName', required: true },
        value: { shape: 'PipelineVariableValue', required: true },
      },
    },
    PipelineVariableList: { type: 'list', min: 1, max: 50, member: 'PipelineVariable' },
    PipelineVariableName: { type: 'string', min: 1, max: 128, pattern: '^[A-Za-z0-9@\\-_]+$' },
    PipelineVariableValue: { type: 'string', min: 1, max: 1000, pattern: '.*' },
    QueryParamMap: { type: 'map', min: 0, max: 1, key: 'ActionConfigurationKey', value: 'ActionConfigurationQueryableValue' },
    /**
     * Not a model shape: the API documents (on ActionConfigurationProperty.queryable) that the value a pipeline
     * gives a queryable property is at most twenty alphanumeric characters, underscores and hyphens.
     */
    QueryableConfigurationValue: { type: 'string', min: 1, max: 20, pattern: '^[A-Za-z0-9_-]+$' },
    Revision: { type: 'string', min: 1, max: 1500 },
    RevisionChangeIdentifier: { type: 'string', min: 1, max: 100 },
    RevisionSummary: { type: 'string', min: 1, max: 2048 },
    SourceRevisionOverride: {
      type: 'structure',
      members: {
        actionName: { shape: 'ActionName', required: true },
        revisionType: { shape: 'SourceRevisionType', required: true },
        revisionValue: { shape: 'Revision', required: true },
      },
    },
    SourceRevisionOverrideList: { type: 'list', min: 0, max: 50, member: 'SourceRevisionOverride' },
    SourceRevisionType: { type: 'enum', values: ['COMMIT_ID', 'IMAGE_DIGEST', 'S3_OBJECT_VERSION_ID', 'S3_OBJECT_KEY'] },
    StageName: { type: 'string', min: 1, max: 100, pattern: '^[A-Za-z0-9.@\\-_]+$' },
    StageTransitionType: { type: 'enum', values: ['Inbound', 'Outbound'] },
    Tag: { type: 'structure', members: { key: { shape: 'TagKey', required: true }, value: { shape: 'TagValue', required: true } } },
    TagKey: { type: 'string', min: 1, max: 128 },
    TagList: { type: 'list', member: 'Tag' },
    TagValue: { type: 'string', min: 0, max: 256 },
    Url: { type: 'string', min: 1, max: 2048 },
    UrlTemplate: { type: 'string', min: 1, max: 2048 },
    Version: { type: 'string', min: 1, max: 9, pattern: '^[0-9A-Za-z_-]+$' },
    // What PipelineExecution and StageTransitionFreeze read and stop (the model's ListActionExecutions and StopPipelineExecution).
    ActionExecutionFilter: { type: 'structure', members: { pipelineExecutionId: { shape: 'PipelineExecutionId' } } },
    MaxResults: { type: 'integer', min: 1, max: 100 },
    NextToken: { type: 'string', min: 1, max: 2048 },
    StopPipelineExecutionReason: { type: 'string', min: 0, max: 200 },
    // What StageRule renders: a stage condition's rule declaration (the model's RuleDeclaration and its members).
    ActionNamespace: { type: 'string', min: 1, max: 100, pattern: '^[A-Za-z0-9@\\-_]+$' },
    AWSRegionName: { type: 'string', min: 4, max: 30 },
    Command: { type: 'string', min: 1, max: 1000 },
    CommandList: { type: 'list', min: 1, max: 50, member: 'Command' },
    Condition: { type: 'structure', members: { result: { shape: 'Result' }, rules: { shape: 'RuleDeclarationList' } } },
    ConditionList: { type: 'list', min: 1, max: 1, member: 'Condition' },
    InputArtifact: { type: 'structure', members: { name: { shape: 'ArtifactName', required: true } } },
    InputArtifactList: { type: 'list', member: 'InputArtifact' },
    Result: { type: 'enum', values: ['ROLLBACK', 'FAIL', 'RETRY', 'SKIP'] },
    RoleArn: { type: 'string', min: 0, max: 1024, pattern: '^arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/' },
    RuleCategory: { type: 'enum', values: ['Rule'] },
    RuleConfigurationKey: { type: 'string', min: 1, max: 50 },
    RuleConfigurationMap: { type: 'map', min: 0, max: 200, key: 'RuleConfigurationKey', value: 'RuleConfigurationValue' },
    RuleConfigurationValue: { type: 'string', min: 1, max: 10000 },
    RuleDeclaration: {
      type: 'structure',
      members: {
        name: { shape: 'RuleName', required: true },
        ruleTypeId: { shape: 'RuleTypeId', required: true },
        configuration: { shape: 'RuleConfigurationMap' },
        commands: { shape: 'CommandList' },
        inputArtifacts: { shape: 'InputArtifactList' },
        roleArn: { shape: 'RoleArn' },
        region: { shape: 'AWSRegionName' },
        timeoutInMinutes: { shape: 'RuleTimeout' },
      },
    },
    RuleDeclarationList: { type: 'list', min: 1, max: 5, member: 'RuleDeclaration' },
    RuleName: { type: 'string', min: 1, max: 100, pattern: '^[A-Za-z0-9.@\\-_]+$' },
    RuleOwner: { type: 'enum', values: ['AWS'] },
    RuleProvider: { type: 'string', min: 1, max: 35, pattern: '^[0-9A-Za-z_-]+$' },
    RuleTimeout: { type: 'integer', min: 5, max: 86400 },
    RuleTypeId: {
      type: 'structure',
      members: {
        category: { shape: 'RuleCategory', required: true },
        owner: { shape: 'RuleOwner' },
        provider: { shape: 'RuleProvider', required: true },
        version: { shape: 'Version' },
      },
    },
    /** Not a model shape: the CloudWatchAlarm rule's AlarmStates values (CodePipeline rule reference). */
    RuleAlarmState: { type: 'enum', values: ['ALARM', 'OK', 'INSUFFICIENT_DATA'] },
    /** Not a model shape: the VariableCheck rule's Operator values (CodePipeline rule reference). */
    RuleVariableCheckOperator: { type: 'enum', values: ['EQ', 'CONTAINS', 'MATCHES', 'NE'] },
    // What PipelineExecution looks up (ListPipelineExecutions) and the transition freezes record (the pipeline's tags).
    PipelineExecutionFilter: { type: 'structure', members: { succeededInStage: { shape: 'SucceededInStageFilter' } } },
    SucceededInStageFilter: { type: 'structure', members: { stageName: { shape: 'StageName' } } },
    ResourceArn: { type: 'string', pattern: '^arn:aws(-[\\w]+)*:codepipeline:.+:[0-9]{12}:.+$' },
    TagKeyList: { type: 'list', member: 'TagKey' },
  },
  operations: {
    CreateCustomActionType: {
      category: { shape: 'ActionCategory', required: true },
      provider: { shape: 'ActionProvider', required: true },
      version: { shape: 'Version', required: true },
      settings: { shape: 'ActionTypeSettings' },
      configurationProperties: { shape: 'ActionConfigurationPropertyList' },
      inputArtifactDetails: { shape: 'ArtifactDetails', required: true },
      outputArtifactDetails: { shape: 'ArtifactDetails', required: true },
      tags: { shape: 'TagList' },
    },
    DeleteCustomActionType: {
      category: { shape: 'ActionCategory', required: true },
      provider: { shape: 'ActionProvider', required: true },
      version: { shape: 'Version', required: true },
    },
    PollForJobs: {
      actionTypeId: { shape: 'ActionTypeId', required: true },
      maxBatchSize: { shape: 'MaxBatchSize' },
      queryParam: { shape: 'QueryParamMap' },
    },
    AcknowledgeJob: {
      jobId: { shape: 'JobId', required: true },
      nonce: { shape: 'Nonce', required: true },
    },
    GetJobDetails: {
      jobId: { shape: 'JobId', required: true },
    },
    PutJobSuccessResult: {
      jobId: { shape: 'JobId', required: true },
      currentRevision: { shape: 'CurrentRevision' },
      continuationToken: { shape: 'ContinuationToken' },
      executionDetails: { shape: 'ExecutionDetails' },
      outputVariables: { shape: 'OutputVariablesMap' },
    },
    PutJobFailureResult: {
      jobId: { shape: 'JobId', required: true },
      failureDetails: { shape: 'FailureDetails', required: true },
    },
    GetPipelineState: {
      name: { shape: 'PipelineName', required: true },
    },
    PutApprovalResult: {
      pipelineName: { shape: 'PipelineName', required: true },
      stageName: { shape: 'StageName', required: true },
      actionName: { shape: 'ActionName', required: true },
      result: { shape: 'ApprovalResult', required: true },
      token: { shape: 'ApprovalToken', required: true },
    },
    StartPipelineExecution: {
      name: { shape: 'PipelineName', required: true },
      variables: { shape: 'PipelineVariableList' },
      clientRequestToken: { shape: 'ClientRequestToken' },
      sourceRevisions: { shape: 'SourceRevisionOverrideList' },
    },
    GetPipelineExecution: {
      pipelineName: { shape: 'PipelineName', required: true },
      pipelineExecutionId: { shape: 'PipelineExecutionId', required: true },
    },
    DisableStageTransition: {
      pipelineName: { shape: 'PipelineName', required: true },
      stageName: { shape: 'StageName', required: true },
      transitionType: { shape: 'StageTransitionType', required: true },
      reason: { shape: 'DisabledReason', required: true },
    },
    EnableStageTransition: {
      pipelineName: { shape: 'PipelineName', required: true },
      stageName: { shape: 'StageName', required: true },
      transitionType: { shape: 'StageTransitionType', required: true },
    },
    ListActionExecutions: {
      pipelineName: { shape: 'PipelineName', required: true },
      filter: { shape: 'ActionExecutionFilter' },
      maxResults: { shape: 'MaxResults' },
      nextToken: { shape: 'NextToken' },
    },
    StopPipelineExecution: {
      pipelineName: { shape: 'PipelineName', required: true },
      pipelineExecutionId: { shape: 'PipelineExecutionId', required: true },
      abandon: { shape: 'boolean' },
      reason: { shape: 'StopPipelineExecutionReason' },
    },
    ListPipelineExecutions: {
      pipelineName: { shape: 'PipelineName', required: true },
      maxResults: { shape: 'MaxResults' },
      filter: { shape: 'PipelineExecutionFilter' },
      nextToken: { shape: 'NextToken' },
    },
    TagResource: {
      resourceArn: { shape: 'ResourceArn', required: true },
      tags: { shape: 'TagList', required: true },
    },
    UntagResource: {
      resourceArn: { shape: 'ResourceArn', required: true },
      tagKeys: { shape: 'TagKeyList', required: true },
    },
    ListTagsForResource: {
      resourceArn: { shape: 'ResourceArn', required: true },
      nextToken: { shape: 'NextToken' },
      maxResults: { shape: 'MaxResults' },
    },
  },
};
