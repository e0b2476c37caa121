import { Action } from '../contract/contract-types';

/** The wire encoding of actions, provided by the app that owns the proto (agent-platform.md §4.2). */
export abstract class ActionCodec {
  /** True when the encoded action would exceed the 4 MiB message limit. */
  abstract exceedsMessageLimit(action: Action): boolean;
}
