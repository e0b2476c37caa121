import { ToolDefinition } from '@app/models';
import { WorkflowState } from '../checkpoint/workflow-state';
import { GitLabHttp } from '../gitlab/gitlab-http';
import { ActionChannel } from '../session/action-channel';
import { ExclusionRules } from './exclusion-rules';
import { SessionProject } from './gitlab-url';
import { ToolError } from './tool-error';

/** What a tool may use while it runs: everything the executor or GitLab does goes through actions. */
export interface ToolContext {
  channel: ActionChannel;
  gitlab: GitLabHttp;
  capabilities: ReadonlySet<string>;
  exclusion: ExclusionRules;
  state: WorkflowState;
  /** The session's project (or group) on GitLab, for tools that take URLs. */
  project: SessionProject;
}

export type ToolArgs = Record<string, unknown>;

export interface Tool {
  readonly definition: ToolDefinition;
  /** Server-side tools (plan, handover, clarification): never need approval (§6.3). */
  readonly internal?: boolean;
  /** Calling it ends the agent: `handover` finishes it, `input` asks the user. */
  readonly ends?: 'handover' | 'input';
  /** A tool of the client's MCP servers (`startRequest.mcpTools`). */
  readonly mcp?: boolean;
  run(args: ToolArgs, context: ToolContext): Promise<string>;
}

type JsonSchemaProperty = Record<string, unknown>;

/** A function tool whose arguments object has these properties (`required` lists the mandatory ones). */
export function defineTool(
  name: string,
  description: string,
  properties: Record<string, JsonSchemaProperty>,
  required: string[],
  run: Tool['run'],
  extra: Pick<Tool, 'internal' | 'ends'> = {},
): Tool {
  return {
    definition: { name, description, parameters: { type: 'object', properties, required } },
    run: (args, context) => {
      for (const key of required) {
        if (args[key] === undefined || args[key] === null) throw new ToolError(`Missing required argument '${key}'`);
      }
      return run(args, context);
    },
    ...extra,
  };
}

export const stringArg = (description: string) => ({ type: 'string', description });
export const intArg = (description: string) => ({ type: 'integer', description });
export const stringListArg = (description: string) => ({ type: 'array', items: { type: 'string' }, description });
