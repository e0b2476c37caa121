import { StartWorkflowRequest } from '../contract/contract-types';
import { selectWorkflow } from './workflow-request';

const start = (fields: Partial<StartWorkflowRequest>): StartWorkflowRequest =>
  ({ workflowID: '1', goal: '', workflowDefinition: '', clientCapabilities: [], ...fields }) as StartWorkflowRequest;

describe('selectWorkflow', () => {
  it('defaults to software_development when nothing is set', () => {
    expect(selectWorkflow(start({}))).toEqual({ kind: 'built_in', definition: 'software_development' });
  });

  it('takes the schema version of an inline flow from its struct for old LSPs', () => {
    expect(selectWorkflow(start({ flowConfig: { version: 'v1' } }))).toMatchObject({
      kind: 'inline',
      schemaVersion: 'v1',
    });
  });

  it('asks for a schema version when an inline flow has none', () => {
    expect(() => selectWorkflow(start({ flowConfig: { environment: 'x' } }))).toThrow(
      'flowConfig requires flowConfigSchemaVersion to also be provided.',
    );
  });

  it('rewrites the experimental duo_planner flow to v1 at version 1.0.0', () => {
    expect(selectWorkflow(start({ workflowDefinition: 'duo_planner/experimental' }))).toEqual({
      kind: 'registry',
      flowId: 'duo_planner',
      schemaVersion: 'v1',
      version: '1.0.0',
    });
  });

  it('counts empty strings as unset', () => {
    expect(selectWorkflow(start({ flowConfigId: '', flowVersion: '', workflowDefinition: 'chat' }))).toEqual({
      kind: 'built_in',
      definition: 'chat',
    });
  });

  it('refuses a definition that is neither built in nor <flow>/<schema>', () => {
    expect(() => selectWorkflow(start({ workflowDefinition: 'hack' }))).toThrow(/^Unknown workflow definition: 'hack'/);
  });
});
