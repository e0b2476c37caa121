/**
 * The 5xx answers the contract prescribes, each with its spec section; any other 5xx (or gRPC INTERNAL/UNKNOWN)
 * is a fuzz failure.
 */
export const CONTRACT_500_MESSAGES: ReadonlyArray<{ message: RegExp; spec: string }> = [
  { message: /^Failed to generate JWT$/, spec: 'http-api.md §1.7: no self-signed key configured' },
  {
    message: /^Endpoint override not allowed when custom models are disabled\.$/,
    spec: 'http-api.md §2.2: custom models disabled → 500',
  },
  { message: /./, spec: 'http-api.md §3.2: a LiteLLM chat model failure is a 500 (logged as internal_by_contract)' },
];

/** Routes that call a model: their model errors are 502/503/504 `{"detail": …}` (http-api.md §0.1, §3.2, §3.3). */
const MODEL_ROUTES =
  /^\/(v2\/code\/|v2\/completions|v3\/code\/|v4\/code\/|v1\/chat\/|v2\/chat\/|v[12]\/prompts\/|v1\/embeddings\/)/;

/**
 * gRPC statuses that are no fault of ours: a message that is not protobuf is refused by grpc-js itself with
 * INTERNAL "Error deserializing request", before any handler runs (grpcio answers the same, "Exception
 * deserializing request!"). Anything else INTERNAL or UNKNOWN, or a call that outlives its deadline, fails.
 */
export function allowedGrpcFailure(details: string): string | undefined {
  return details === 'Error deserializing request'
    ? 'gRPC transport: undecodable protobuf (grpc-js, as grpcio)'
    : undefined;
}

/** Why a non-500 5xx is allowed, or undefined when it is not. */
export function allowed5xx(path: string, status: number, body: string): string | undefined {
  if (status === 503 && body.includes('Too many request bytes in flight')) {
    return 'issue 15 item 5: AIGW_HTTP__MAX_INFLIGHT_BODY_BYTES';
  }
  if ([502, 503, 504].includes(status) && MODEL_ROUTES.test(path) && body.startsWith('{"detail"')) {
    return 'http-api.md §0.1/§3.2: model error ("Inference failed", upstream status passed on)';
  }
  return undefined;
}
