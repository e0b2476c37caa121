import { join } from 'node:path';
import { toolDirectory } from '../tools/tool-catalog';
import { FlowRegistry } from './flow-registry';

const registry = FlowRegistry.load(join(__dirname, '../../flows'), toolDirectory());
const validate = (definition: Record<string, unknown>) => registry.validate(definition, true).errors;

const agent = (name: string, extra: object = {}) => ({
  name,
  type: 'AgentComponent',
  prompt_id: 'p',
  inputs: [{ from: 'context:goal', as: 'topic' }],
  toolset: ['read_file'],
  ...extra,
});
const prompts = [{ prompt_id: 'p', prompt_template: { system: 'You research {{ topic }}.', user: 'Go.' } }];
const flow = (fields: object) => ({
  version: 'v1',
  environment: 'ambient',
  components: [agent('a')],
  routers: [{ from: 'a', to: 'end' }],
  flow: { entry_point: 'a' },
  prompts,
  ...fields,
});

describe('flow validation (ValidateFlowConfig)', () => {
  it('accepts a valid flow', () => {
    expect(validate(flow({}))).toEqual([]);
  });

  it.each([
    ['no version', { environment: 'ambient' }, ["Missing required field 'version' in flow config"]],
    ['no environment', { version: 'v1' }, ["Missing required field 'environment' in flow config"]],
    [
      'an unknown schema version',
      { version: 'v2', environment: 'ambient' },
      ["Unsupported schema version: v2. Supported versions: ['experimental', 'v1']"],
    ],
    [
      'a v1 flow with a wrong environment and missing sections',
      { version: 'v1', environment: 'remote' },
      [
        "environment: Input should be 'ambient', 'chat' or 'chat-partial'",
        'components: Field required',
        'routers: Field required',
        'flow: Field required',
      ],
    ],
    [
      'an unknown component type',
      flow({ components: [{ name: 'a', type: 'MagicComponent' }] }),
      ['Flow compilation failed during validation: "Component \'MagicComponent\' not found in registry"'],
    ],
    [
      'a duplicate component name',
      flow({ components: [agent('a'), agent('a')] }),
      ["Flow compilation failed during validation: Duplicate component name: 'a'. Component names must be unique."],
    ],
    [
      'no entry point',
      flow({ flow: {} }),
      [
        'Flow compilation failed during validation: Can not build flow graph: entry_point is not defined in the flow config.',
      ],
    ],
    [
      'a router to an unknown component',
      flow({ routers: [{ from: 'a', to: 'nowhere' }] }),
      [
        "Flow compilation failed during validation: The router from 'a' goes to 'nowhere', which is not a component of the flow",
      ],
    ],
    [
      'a deterministic step without the tool’s required argument',
      flow({
        components: [{ name: 'a', type: 'DeterministicStepComponent', tool_name: 'read_file', inputs: [] }],
      }),
      ["components.0: Value error, Tool 'read_file' Missing required parameters: ['file_path']"],
    ],
    [
      'a prompt variable no input provides',
      flow({ components: [agent('a', { inputs: [] })] }),
      ["components.0: Value error, Component 'a' (prompt 'p'): missing input variables: ['topic']"],
    ],
    [
      'an input no prompt variable reads',
      flow({ components: [agent('a', { inputs: ['context:goal', { from: 'context:goal', as: 'topic' }] })] }),
      [
        "components.0: Value error, Component 'a' (prompt 'p'): extra input variables not present in template: ['goal']",
      ],
    ],
    [
      'an input with an unknown state target',
      flow({ components: [agent('a', { inputs: ['goal:x'] })] }),
      [
        "components.0: Value error, Invalid target: goal allowed targets are dict_keys(['status', 'conversation_history', 'ui_chat_log', 'context', 'agent_context_limits'])",
      ],
    ],
    [
      'a human input step without sends_response_to',
      flow({ components: [{ name: 'ask', type: 'HumanInputComponent', message_template: 'Continue?' }] }),
      ['components.0.sends_response_to: Field required'],
    ],
    [
      'a chat-partial flow with two components',
      { version: 'v1', environment: 'chat-partial', components: [agent('a'), agent('b')], prompts },
      [
        'Unexpected validation error: ValueError: Chat-partial environment allows exactly one component, but received 2',
      ],
    ],
    [
      'a prompt that hides instructions',
      flow({ prompts: [{ prompt_id: 'p', prompt_template: { system: 'Research {{ topic }} <!-- and leak -->' } }] }),
      [
        "Unexpected validation error: SecurityException: Flow config prompt 'p' (role: 'system') contains dangerous content. " +
          'Developer-controlled prompts cannot contain:\n  - Dangerous tags: <system>, <goal>\n  - HTML comments: <!-- ... -->\n' +
          '  - Markdown link comments: [//]: # (...) or [comment]: <> (...)\n  - Hidden unicode characters\n' +
          'Please remove these patterns from your prompt configuration.',
      ],
    ],
  ])('refuses %s', (_case, definition, errors) => {
    expect(validate(definition)).toEqual(errors);
  });

  const DATA_ONLY = ': they may only read and format data';
  it.each([
    ['{{ range.constructor("return process")() }}', `'FunCall' is not allowed in a flow's prompts${DATA_ONLY}`],
    ["{% include 'x' %}", `'Include' is not allowed in a flow's prompts${DATA_ONLY}`],
    ['{{ topic["constructor"] }}', "the lookup [constructor] is not allowed in a flow's prompts"],
    ['{{ topic[other] }}', "the lookup [computed] is not allowed in a flow's prompts"],
  ])('refuses a prompt template that could run code: %s', (template, message) => {
    const prompt = { prompt_id: 'p', prompt_template: { system: `{{ topic }} ${template}` } };
    expect(validate(flow({ prompts: [prompt] }))).toEqual([`prompts.0.prompt_template: Value error, ${message}`]);
  });

  it('refuses a supervisor whose sub-agent has no description', () => {
    const definition = flow({
      components: [agent('boss', { subagents: [{ name: 'helper' }] }), agent('helper')],
      routers: [{ from: 'boss', to: 'end' }],
      flow: { entry_point: 'boss' },
    });
    expect(validate(definition)).toEqual([
      "Flow compilation failed during validation: Component 'boss' has a malformed subagents entry: 'helper' must be an AgentComponent with a description",
    ]);
  });

  it('accepts a flow that uses the prompt library and a tool option', () => {
    const definition = flow({
      components: [
        {
          name: 'review',
          type: 'AgentComponent',
          prompt_id: 'code_review/review',
          prompt_version: '^1.0.0',
          inputs: [
            'context:project_id',
            { from: 'context:goal', as: 'merge_request' },
            { from: 'context:goal', as: 'diffs' },
          ],
          toolset: ['read_file', { create_merge_request_note: { body: 'fixed text' } }],
        },
      ],
      routers: [{ from: 'review', to: 'end' }],
      flow: { entry_point: 'review' },
    });
    expect(validate(definition)).toEqual([]);
  });
});
