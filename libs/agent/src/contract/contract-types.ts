/**
 * Wire shapes of `proto/contract.proto` as the proto loader hands them over (`keepCase`, `defaults`,
 * `oneofs`): names stay exactly as the contract spells them. Only the fields the server reads or writes.
 */

export interface PlainTextResponse {
  response: string;
  error: string;
}

export interface HttpResponse {
  headers: Record<string, string>;
  statusCode: number;
  body: string;
  error: string;
}

export interface ScheduleNotificationResponse {
  accepted: boolean;
  reason: string;
  /** RFC 3339 UTC; empty when not accepted. */
  fires_at: string;
}

export interface ActionResponse {
  requestID: string;
  /** Legacy field 2 (agent-platform.md §8). */
  response?: string | null;
  plainTextResponse?: PlainTextResponse | null;
  httpResponse?: HttpResponse | null;
  scheduleNotificationResponse?: ScheduleNotificationResponse | null;
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: string;
  trusted?: boolean | null;
}

export interface AdditionalContext {
  category: string;
  id?: string | null;
  content?: string | null;
  metadata?: string | null;
}

export interface Approval {
  approval?: Record<string, unknown> | null;
  rejection?: { message?: string | null } | null;
}

export interface StartWorkflowRequest {
  clientVersion: string;
  workflowID: string;
  workflowDefinition: string;
  goal: string;
  workflowMetadata: string;
  clientCapabilities: string[];
  mcpTools: McpTool[];
  additional_context: AdditionalContext[];
  approval?: Approval | null;
  flowConfig?: Record<string, unknown> | null;
  flowConfigSchemaVersion?: string | null;
  preapproved_tools: string[];
  flowConfigId?: string | null;
  flowVersion?: string | null;
  streaming?: boolean | null;
  resume_checkpoint_ts?: string | null;
}

export interface ClientEvent {
  startRequest?: StartWorkflowRequest | null;
  actionResponse?: ActionResponse | null;
  heartbeat?: { timestamp: string | number } | null;
  stopWorkflow?: { reason: string } | null;
}

export interface TokenBreakdown {
  total_tokens: number;
  max_tokens: number;
}

export interface NewCheckpoint {
  status: string;
  checkpoint: string;
  goal: string;
  errors: string[];
  agent_context_usage: Record<string, TokenBreakdown>;
}

/** One member of the `Action.action` oneof; `requestID` is added when the action is sent. */
export interface ActionBody {
  runCommand?: { program: string; arguments: string[]; flags: string[]; timeout?: number };
  runHTTPRequest?: { method: string; path: string; body?: string };
  runReadFile?: { filepath: string; limit?: number; offset?: number };
  runReadFiles?: { filepaths: string[] };
  runWriteFile?: { filepath: string; contents: string };
  runEditFile?: { filepath: string; oldString: string; newString: string };
  newCheckpoint?: NewCheckpoint;
  listDirectory?: { directory: string };
  grep?: { search_directory: string; pattern: string; case_insensitive: boolean };
  findFiles?: { name_pattern: string };
  runMCPTool?: { name: string; args: string };
  mkdir?: { directory_path: string };
  runShellCommand?: { command: string; timeout?: number };
  trackLlmCallForSelfHosted?: { workflowID: string; featureQualifiedName: string; featureAiCatalogItem: boolean };
  scheduleNotification?: { task_id: string; condition: string; message: string };
}

export interface Action extends ActionBody {
  requestID: string;
}
