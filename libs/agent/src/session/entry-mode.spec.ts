import { WorkflowRecord } from '../gitlab/workflow-record';
import { sessionCapabilities } from './capabilities';
import { assertResumePoint, entryOf, stateOf } from './entry-mode';

const record = (fields: Partial<WorkflowRecord>): WorkflowRecord =>
  ({ status: 'created', archived: false, stalled: false, ...fields }) as WorkflowRecord;
const checkpoint = {
  id: 'ts-1',
  channel_values: { status: 'TOOL_CALL_APPROVAL_REQUIRED', goal: 'old goal', ui_chat_log: [] },
};

describe('entryOf', () => {
  it.each([
    ['created', undefined, 'start', 'start'],
    ['input_required', checkpoint, 'resume', 'resume'],
    ['tool_call_approval_required', checkpoint, 'resume', 'resume'],
    ['stopped', checkpoint, 'retry', 'retry'],
    ['failed', checkpoint, 'retry', 'retry'],
    ['finished', checkpoint, 'retry', 'retry'],
  ])('enters a %s workflow in mode %s', (status, stored, mode, event) => {
    expect(entryOf(record({ status }), stored)).toEqual({ mode, event });
  });

  it('refuses archived and stalled workflows', () => {
    expect(() => entryOf(record({ archived: true }), undefined)).toThrow(
      'Archived workflow can not be executed. Please create a new workflow.',
    );
    expect(() => entryOf(record({ stalled: true }), undefined)).toThrow(
      'Stalled workflow can not be executed. Please create a new workflow.',
    );
  });

  it('fails a created workflow that already has a checkpoint', () => {
    expect(() => entryOf(record({ status: 'created' }), checkpoint)).toThrow(/already|checkpoint exists/);
  });
});

describe('assertResumePoint', () => {
  it('accepts the latest checkpoint and refuses an unknown one', () => {
    expect(() => assertResumePoint('ts-1', checkpoint)).not.toThrow();
    expect(() => assertResumePoint('ts-9', checkpoint)).toThrow('Checkpoint ts-9 was not found in this session.');
  });
});

describe('stateOf', () => {
  it('continues from the stored channel values, keeping the original goal', () => {
    expect(stateOf(checkpoint, 'new message')).toMatchObject({
      status: 'TOOL_CALL_APPROVAL_REQUIRED',
      goal: 'old goal',
      conversation_history: {},
    });
  });
});

describe('sessionCapabilities', () => {
  it('honours client capabilities only from GitLab 18.7.0 on', () => {
    expect([...sessionCapabilities(['shell_command'], '18.6.9')]).toEqual([]);
    expect([...sessionCapabilities(['shell_command'], '18.7.0-ee')]).toEqual(['shell_command']);
    expect([...sessionCapabilities(['shell_command'], undefined)]).toEqual([]);
  });
});
