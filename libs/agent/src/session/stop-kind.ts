/**
 * Why a run is being cut short. `user`: a stop the UI asked for; `infrastructure`: Workhorse lost the client
 * (session stays resumable); `shutdown`: Workhorse is stopping; `expired`: the stream duration limit;
 * `client_gone`: half-close or RPC cancel.
 */
export type StopKind = 'user' | 'infrastructure' | 'shutdown' | 'expired' | 'client_gone';

/** §4.3: these reasons do not write `stop` to GitLab. */
export function stopKindOf(reason: string): StopKind {
  if (reason === 'WORKHORSE_SERVER_SHUTDOWN') return 'shutdown';
  return reason === 'WORKHORSE_WEBSOCKET_PING_FAILED' ? 'infrastructure' : 'user';
}
