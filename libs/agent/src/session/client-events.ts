import { AppError, ErrorCode } from '@app/common';
import { ClientEvent, StartWorkflowRequest } from '../contract/contract-types';

/** Reads the first event (§4.1 step 2): no start request with a workflow id means "end OK, no actions". */
export async function firstStartRequest(events: AsyncIterator<ClientEvent>): Promise<StartWorkflowRequest | undefined> {
  const first = await events.next();
  const start = first.done ? undefined : first.value.startRequest;
  return start?.workflowID ? start : undefined;
}

/** §4.1 step 6: JSON text fields must parse; `""` counts as absent. */
export function assertMetadataJson(start: StartWorkflowRequest): void {
  const fields: Array<[string, string | null | undefined]> = [
    ['workflowMetadata', start.workflowMetadata],
    ...(start.additional_context ?? []).map((item, index): [string, string | null | undefined] => [
      `additional_context[${index}].metadata`,
      item.metadata,
    ]),
  ];
  for (const [name, text] of fields) {
    if (!text) continue;
    try {
      JSON.parse(text);
    } catch {
      throw new AppError(ErrorCode.BadRequest, `${name} is not valid JSON`);
    }
  }
}
