import { status as GrpcStatus } from '@grpc/grpc-js';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Action, ActionBody } from '@app/agent';
import { AppError, ERROR_TABLE } from '@app/common';

/** The `Action.action` oneof members (contract.proto): the only values of the `action` label. */
const ACTION_KINDS: ReadonlySet<string> = new Set<keyof ActionBody>([
  'runCommand',
  'runHTTPRequest',
  'runReadFile',
  'runReadFiles',
  'runWriteFile',
  'runEditFile',
  'newCheckpoint',
  'listDirectory',
  'grep',
  'findFiles',
  'runMCPTool',
  'mkdir',
  'runShellCommand',
  'trackLlmCallForSelfHosted',
]);

/** Checkpoint statuses that leave the workflow waiting for a person (agent-platform.md §6.3). */
const AWAITING_HUMAN: Readonly<Record<string, string>> = {
  TOOL_CALL_APPROVAL_REQUIRED: 'tool_call',
  PLAN_APPROVAL_REQUIRED: 'plan',
  INPUT_REQUIRED: 'input',
};

const STATUS_NAMES = new Map(Object.entries(GrpcStatus).map(([name, code]) => [code, name]));

/** One `ExecuteWorkflow` call as the metrics see it; `end` counts once. */
export interface WorkflowCallTracker {
  started(): void;
  sent(action: Action): void;
  end(code: GrpcStatus): void;
}

/**
 * Agent Platform metrics: open `ExecuteWorkflow` streams, calls started and finished by gRPC status, actions
 * sent by kind, calls waiting for a person, and call durations. Every label value comes from a fixed set.
 */
@Injectable()
export class AgentPlatformMetrics {
  private readonly openStreams: Gauge;
  private readonly startedTotal: Counter;
  private readonly finishedTotal: Counter<'code'>;
  private readonly actionsTotal: Counter<'action'>;
  private readonly approvalsPending: Gauge<'kind'>;
  private readonly duration: Histogram<'code'>;
  private readonly authFailures: Counter<'code'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.openStreams = new Gauge({
      name: 'agent_platform_open_streams',
      help: 'ExecuteWorkflow calls in progress',
      registers,
    });
    this.startedTotal = new Counter({
      name: 'agent_platform_workflows_started_total',
      help: 'ExecuteWorkflow calls admitted and authenticated',
      registers,
    });
    this.finishedTotal = new Counter({
      name: 'agent_platform_workflows_finished_total',
      help: 'ExecuteWorkflow calls ended, by gRPC status',
      labelNames: ['code'],
      registers,
    });
    this.actionsTotal = new Counter({
      name: 'agent_platform_actions_sent_total',
      help: 'Actions sent to executors, by kind',
      labelNames: ['action'],
      registers,
    });
    this.approvalsPending = new Gauge({
      name: 'agent_platform_approvals_pending',
      help: 'Open ExecuteWorkflow calls whose last checkpoint waits for a person (tool call, plan, input)',
      labelNames: ['kind'],
      registers,
    });
    this.duration = new Histogram({
      name: 'agent_platform_stream_duration_seconds',
      help: 'ExecuteWorkflow call duration, by gRPC status',
      labelNames: ['code'],
      buckets: [1, 5, 15, 60, 300, 900, 1800, 3600],
      registers,
    });
    this.authFailures = new Counter({
      name: 'agent_platform_auth_failures_total',
      help: 'DuoWorkflow RPCs refused by authentication, by error code',
      labelNames: ['code'],
      registers,
    });
  }

  /** Counts a refused RPC; the label is an `ErrorCode` value (a fixed set), `internal` for anything else. */
  authFailed(error: unknown): void {
    this.authFailures.inc({ code: error instanceof AppError ? error.code : 'internal' });
  }

  /** Starts tracking a call that was just admitted. */
  track(): WorkflowCallTracker {
    const startedAt = performance.now();
    let awaiting: string | undefined;
    let ended = false;
    this.openStreams.inc();
    const setAwaiting = (kind: string | undefined) => {
      if (awaiting) this.approvalsPending.dec({ kind: awaiting });
      if (kind) this.approvalsPending.inc({ kind });
      awaiting = kind;
    };
    return {
      started: () => this.startedTotal.inc(),
      sent: (action) => {
        const kind = Object.keys(action).find((key) => ACTION_KINDS.has(key)) ?? 'other';
        this.actionsTotal.inc({ action: kind });
        if (action.newCheckpoint) setAwaiting(AWAITING_HUMAN[action.newCheckpoint.status]);
      },
      end: (code) => {
        if (ended) return;
        ended = true;
        setAwaiting(undefined);
        this.openStreams.dec();
        const name = STATUS_NAMES.get(code) ?? 'UNKNOWN';
        this.finishedTotal.inc({ code: name });
        this.duration.observe({ code: name }, (performance.now() - startedAt) / 1000);
      },
    };
  }
}

/** The status an error ends a call with, as the RPC filter sends it. */
export function grpcStatusOf(error: unknown): GrpcStatus {
  return error instanceof AppError ? ERROR_TABLE[error.code].grpc : GrpcStatus.INTERNAL;
}
