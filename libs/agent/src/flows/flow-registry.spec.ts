import { join } from 'node:path';
import { toolDirectory } from '../tools/tool-catalog';
import { FlowRegistry } from './flow-registry';

const FLOWS_DIR = join(__dirname, '../../flows');

describe(FlowRegistry.name, () => {
  const registry = FlowRegistry.load(FLOWS_DIR, toolDirectory());

  it('loads and validates every shipped flow', () => {
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
});
