import { inflateSync } from 'node:zlib';
import { AppError, ErrorCode } from '@app/common';

/** What the server needs from the GraphQL workflow fetch of §6.2. */
export interface WorkflowRecord {
  /** `created`, `running`, `input_required`, … (GitLab's `statusName`). */
  status: string;
  projectId?: string;
  project?: { id?: string; name?: string; description?: string; httpUrlToRepo?: string; webUrl?: string };
  namespace?: { id?: string; name?: string; webUrl?: string };
  agentPrivileges: string[];
  preApprovedPrivileges: string[];
  mcpEnabled: boolean;
  allowAgentToRequestUser: boolean;
  exclusionRules: string[];
  /** The stored checkpoint document (§6.6), when GitLab sent one. */
  latestCheckpoint?: Record<string, unknown>;
  archived: boolean;
  stalled: boolean;
  /** GitLab 19.x: whether the instance stores incremental checkpoints (§6.2); undefined on older versions. */
  incrementalCheckpointsEnabled?: boolean;
}

/** On purpose: the executor relays GitLab's answer, so the client controls it; a small zlib bomb must not fill memory. */
const MAX_INFLATED_CHECKPOINT_BYTES = 64 * 1024 * 1024;

const invalid = (message: string) => new AppError(ErrorCode.BadRequest, `Invalid workflow ID: ${message}`);

export function parseWorkflowRecord(statusCode: number, text: string): WorkflowRecord {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GitLab's GraphQL answer, read field by field below
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid(`GitLab answered ${statusCode} without a GraphQL document`);
  }
  if (Array.isArray(body?.errors) && body.errors.length > 0) {
    throw invalid(body.errors.map((error: { message?: string }) => error.message ?? String(error)).join('; '));
  }
  const node = body?.data?.duoWorkflowWorkflows?.nodes?.[0];
  if (!node) throw invalid('No workflow found');
  if (!node.project?.webUrl && !node.namespace?.webUrl) throw invalid('The workflow has no project or namespace');
  return {
    status: String(node.statusName ?? '').toLowerCase(),
    projectId: node.projectId ?? undefined,
    project: node.project ?? undefined,
    namespace: node.namespace ?? undefined,
    agentPrivileges: node.agentPrivilegesNames ?? [],
    preApprovedPrivileges: node.preApprovedAgentPrivilegesNames ?? [],
    mcpEnabled: node.mcpEnabled === true,
    allowAgentToRequestUser: node.allowAgentToRequestUser === true,
    exclusionRules: node.duoContextExclusionSettings?.exclusionRules ?? [],
    latestCheckpoint: checkpointOf(node.latestCheckpoint ?? node.firstCheckpoint),
    archived: node.archived === true,
    stalled: node.stalled === true,
    incrementalCheckpointsEnabled:
      typeof node.incrementalCheckpointsEnabled === 'boolean' ? node.incrementalCheckpointsEnabled : undefined,
  };
}

/** GitLab stores the document as JSON, as JSON text, or compressed (base64 of zlib; GraphQL and REST spellings, §6.6). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL checkpoint node, read field by field
export function checkpointOf(entry: any): Record<string, unknown> | undefined {
  if (!entry) return undefined;
  const compressed = entry.compressedCheckpoint ?? entry.compressed_checkpoint;
  if (typeof compressed === 'string' && compressed !== '') {
    return JSON.parse(inflated(Buffer.from(compressed, 'base64')).toString('utf8'));
  }
  const checkpoint = typeof entry.checkpoint === 'string' ? JSON.parse(entry.checkpoint) : entry.checkpoint;
  return checkpoint && typeof checkpoint === 'object' ? checkpoint : undefined;
}

function inflated(compressed: Buffer): Buffer {
  try {
    return inflateSync(compressed, { maxOutputLength: MAX_INFLATED_CHECKPOINT_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
    throw new AppError(
      ErrorCode.BadRequest,
      `compressedCheckpoint inflates to more than ${MAX_INFLATED_CHECKPOINT_BYTES / 1024 / 1024} MiB`,
    );
  }
}
