import { can, workflowPrimitives } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import { StartWorkflowRequest } from '../contract/contract-types';
import { CallContext } from './call-context';

/** §5.3: the definition's unit primitive; self-issued tokens are allowed. */
export function authoriseExecution(start: StartWorkflowRequest, context: CallContext): void {
  const definition = start.workflowDefinition || undefined;
  if (!workflowPrimitives(definition).some((primitive) => can(context.identity, primitive))) {
    throw new AppError(ErrorCode.PermissionDenied, `Unauthorized to execute ${definition ?? 'workflow'}`);
  }
}
