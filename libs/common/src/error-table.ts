import { status as GrpcStatus } from '@grpc/grpc-js';
import { ErrorCode } from '@gitlab-ai-gateway/provider-api';

export interface ErrorMapping {
  http: number;
  grpc: GrpcStatus;
}

/** The single place where error codes meet wire statuses. */
export const ERROR_TABLE: Record<ErrorCode, ErrorMapping> = {
  [ErrorCode.Unauthenticated]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.PermissionDenied]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorCode.BadRequest]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorCode.NotFound]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorCode.MethodNotAllowed]: { http: 405, grpc: GrpcStatus.UNIMPLEMENTED },
  [ErrorCode.InvalidInput]: { http: 422, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorCode.ResourceExhausted]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.PayloadTooLarge]: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.RequestTimeout]: { http: 408, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  [ErrorCode.FailedPrecondition]: { http: 412, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.Unavailable]: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorCode.Cancelled]: { http: 499, grpc: GrpcStatus.CANCELLED },
  [ErrorCode.ModelUnreachable]: { http: 502, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorCode.ModelTimeout]: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  [ErrorCode.ModelRejected]: { http: 502, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.ModelRateLimited]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.ModelCredentialsRefused]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.ModelFailed]: { http: 502, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorCode.ModelOverloaded]: { http: 502, grpc: GrpcStatus.UNAVAILABLE },
  // HTTP prompt routes only; the upstream status it carries may be anything.
  [ErrorCode.ModelStatusPassedOn]: { http: 421, grpc: GrpcStatus.UNKNOWN },
  [ErrorCode.ModelMalformed]: { http: 502, grpc: GrpcStatus.INTERNAL },
  [ErrorCode.Internal]: { http: 500, grpc: GrpcStatus.INTERNAL },
  [ErrorCode.InternalByContract]: { http: 500, grpc: GrpcStatus.INTERNAL },
};
