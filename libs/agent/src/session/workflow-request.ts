import { AppError, ErrorCode } from '@app/common';
import { StartWorkflowRequest } from '../contract/contract-types';

const BUILT_IN_WORKFLOWS = ['software_development', 'convert_to_gitlab_ci', 'chat', 'issue_to_merge_request'] as const;
const SCHEMA_VERSIONS = ['experimental', 'v1'];
/** Registry flows named in `workflowDefinition` are version 1.0.0 (§4.1). */
const DEFINITION_FLOW_VERSION = '1.0.0';
const REWRITTEN = new Set(['duo_planner/experimental', 'security_analyst_agent/experimental']);

export type WorkflowSelection =
  | { kind: 'built_in'; definition: string }
  | { kind: 'registry'; flowId: string; schemaVersion: string; version: string }
  | { kind: 'inline'; config: Record<string, unknown>; schemaVersion: string };

const invalid = (message: string) => new AppError(ErrorCode.BadRequest, message);
/** Empty strings count as unset. */
const given = (value: string | null | undefined): value is string => typeof value === 'string' && value !== '';

/** Which workflow a start request asks for, with the exact errors of agent-platform.md §4.1 step 3. */
export function selectWorkflow(start: StartWorkflowRequest): WorkflowSelection {
  const { flowConfigId, flowConfig, flowConfigSchemaVersion: schema, flowVersion } = start;
  if (given(flowConfigId)) {
    if (flowConfig)
      throw invalid('flowConfigId and flowConfig are mutually exclusive — set one or the other, not both.');
    if (!given(schema)) throw invalid('flowConfigId requires flowConfigSchemaVersion to also be provided.');
    if (!given(flowVersion)) throw invalid('flowConfigId requires flowVersion to also be provided.');
    return { kind: 'registry', flowId: flowConfigId, schemaVersion: checkedSchema(schema), version: flowVersion };
  }
  if (flowConfig) {
    const version = given(schema) ? schema : typeof flowConfig.version === 'string' ? flowConfig.version : '';
    if (!given(version)) throw invalid('flowConfig requires flowConfigSchemaVersion to also be provided.');
    return { kind: 'inline', config: flowConfig, schemaVersion: checkedSchema(version) };
  }
  if (given(flowVersion)) throw invalid('flowVersion requires flowConfigId to also be provided.');
  const definition = given(start.workflowDefinition) ? start.workflowDefinition : 'software_development';
  if ((BUILT_IN_WORKFLOWS as readonly string[]).includes(definition)) return { kind: 'built_in', definition };
  const [flowId, schemaVersion, ...rest] = (
    REWRITTEN.has(definition) ? definition.replace(/experimental$/, 'v1') : definition
  ).split('/');
  if (!flowId || !SCHEMA_VERSIONS.includes(schemaVersion) || rest.length > 0) {
    throw invalid(
      `Unknown workflow definition: '${definition}'. Expected one of ${BUILT_IN_WORKFLOWS.join(', ')} or <flow>/<v1|experimental>.`,
    );
  }
  return { kind: 'registry', flowId, schemaVersion, version: DEFINITION_FLOW_VERSION };
}

function checkedSchema(schema: string): string {
  if (!SCHEMA_VERSIONS.includes(schema)) {
    throw invalid(`Invalid flowConfigSchemaVersion: '${schema}'. Must be one of: ${SCHEMA_VERSIONS.join(', ')}.`);
  }
  return schema;
}
