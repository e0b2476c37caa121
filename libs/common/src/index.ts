export { AppError, AppErrorOptions, ErrorCode, isInternalCode, isModelError } from '@gitlab-ai-gateway/provider-api';
export * from './error-table';
export * from './request-context';
export * from './shutdown-state';
export * from './outbound-http';
export * from './tracing/traces';
export * from './template-variables';
export * from './metric-labels';
