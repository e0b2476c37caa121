import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolDirectory } from '../tools/tool-catalog';
import { FlowRegistry } from './flow-registry';

const FLOWS_DIR = join(__dirname, '../../flows');

/** A registry folder with these files (path → text). */
function registryDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const FLOW = (system: string) => `
version: "v1"
environment: ambient
components:
  - name: agent
    type: AgentComponent
    prompt_id: p
    inputs: []
    toolset: []
routers:
  - from: agent
    to: end
flow:
  entry_point: agent
prompts:
  - prompt_id: p
    prompt_template:
      system: "${system}"
`;

describe(FlowRegistry.name, () => {
  it('loads and validates every shipped flow', () => {
    const registry = FlowRegistry.load(FLOWS_DIR, toolDirectory());
    expect(registry.list().map((flow) => `${flow.flow_identifier}/${flow.version}@${flow.flow_version}`)).toEqual([
      'agentic_chat/v1@1.0.0',
      'code_review/v1@1.0.0',
      'convert_to_gl_ci/v1@1.0.0',
      'developer/v1@1.0.0',
      'duo_planner/v1@1.0.0',
      'fix_pipeline/v1@1.0.0',
      'security_analyst_agent/v1@1.0.0',
    ]);
  });

  it('resolves a semver constraint to the newest matching version of a flow', () => {
    const dir = registryDir({ 'v1/demo/1.0.0.yml': FLOW('one'), 'v1/demo/1.2.0.yml': FLOW('two') });
    const registry = FlowRegistry.load(dir, toolDirectory());
    expect(registry.resolve('demo', 'v1', '^1.0.0')?.version).toBe('1.2.0');
    expect(registry.resolve('demo', 'v1', '1.0.0')?.version).toBe('1.0.0');
    expect(registry.resolve('demo', 'v1', '~1.0.0')?.version).toBe('1.0.0');
    expect(registry.resolve('demo', 'v1', '^2.0.0')).toBeUndefined();
    expect(registry.resolve('demo', 'experimental', '1.0.0')).toBeUndefined();
    expect(registry.resolve('demo', 'v1', 'not a range')).toBeUndefined();
  });

  it.each([
    [
      { 'v1/demo/1.0.0.yml': FLOW('x').replace('    prompt_id: p\n', '') },
      'Invalid flow definition v1/demo/1.0.0.yml: components.0.prompt_id: Field required',
    ],
    [
      { 'v1/demo/1.0.0.yml': 'version: "v1"\nenvironment: [ambient' },
      'Invalid flow definition v1/demo/1.0.0.yml: Flow sequence',
    ],
    [{ 'v1/demo/one.yml': FLOW('x') }, "Invalid flow definition v1/demo/one.yml: 'one' is not a semantic version"],
    [
      { 'experimental/demo/1.0.0.yml': FLOW('x') },
      "Invalid flow definition experimental/demo/1.0.0.yml: version: Input should be 'experimental'",
    ],
    [
      { 'prompts/p/base/1.0.0.yml': 'prompt_template:\n  user: hi\n' },
      'Invalid flow prompt p/base/1.0.0.yml: prompt_template.system is required',
    ],
  ])('stops the boot naming the file and the field of a broken definition', (files, message) => {
    expect(() => FlowRegistry.load(registryDir(files), toolDirectory())).toThrow(message);
  });

  it('stops the boot when the registry folder is missing', () => {
    expect(() => FlowRegistry.load(join(tmpdir(), 'no-such-flows'), toolDirectory())).toThrow(
      /The flow registry folder .*no-such-flows is missing/,
    );
  });

  it('picks the prompt written for the model family, falling back to base', () => {
    const { library } = FlowRegistry.load(FLOWS_DIR, toolDirectory());
    const system = (family?: string) => library.resolve('chat/agent', '^1.0.0', family)?.render({ goal: 'g' }).system;
    expect(system('mistral')).toContain('Call one tool at a time and wait for its result');
    expect(system('mixtral')).toBe(system('mistral'));
    expect(system('llama3')).toContain('Use the tool-calling format');
    expect(system('claude_3')).toBe(system(undefined));
    expect(system(undefined)).toContain('You may call several independent tools at once.');
  });
});
