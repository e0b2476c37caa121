import { loadSync } from '@grpc/proto-loader';
import { Injectable } from '@nestjs/common';
import { Action, ActionCodec } from '@app/agent';
import { GRPC_LOADER_OPTIONS, MAX_MESSAGE_BYTES, PROTO_PATH } from './grpc-options';

type Serialize = (value: Action) => Buffer;

/** Measures actions with the same encoder the transport uses (agent-platform.md §4.2). */
@Injectable()
export class ProtoActionCodec extends ActionCodec {
  private readonly serialize: Serialize;

  constructor() {
    super();
    const definition = loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS) as unknown as {
      DuoWorkflow: { ExecuteWorkflow: { responseSerialize: Serialize } };
    };
    this.serialize = definition.DuoWorkflow.ExecuteWorkflow.responseSerialize;
  }

  exceedsMessageLimit(action: Action): boolean {
    return this.serialize(action).length > MAX_MESSAGE_BYTES;
  }
}
