import { ToolCall } from '@app/models';
import { WorkflowStore } from '../gitlab/workflow-store';
import { Tool } from '../tools/tool';

/** Compact JSON with sorted keys, the form GitLab compares tool arguments in (§6.3). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Whether a tool call has to wait for the user (§6.3): not when the tool is internal or pre-approved, nor
 * when GitLab's `toolCallApproved` says yes (positive answers are remembered for the session).
 */
export class ToolApproval {
  private readonly approved = new Set<string>();

  constructor(
    private readonly preapproved: ReadonlySet<string>,
    private readonly store: WorkflowStore,
  ) {}

  async needsApproval(tool: Tool, call: ToolCall, args: Record<string, unknown>): Promise<boolean> {
    if (tool.internal || this.preapproved.has(call.name)) return false;
    const argsJson = canonicalJson(args);
    const key = `${call.name}\u0000${argsJson}`;
    if (this.approved.has(key)) return false;
    if (!(await this.store.toolCallApproved(call.name, argsJson))) return true;
    this.approved.add(key);
    return false;
  }
}
