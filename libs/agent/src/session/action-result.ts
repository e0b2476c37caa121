import { ActionResponse } from '../contract/contract-types';
import { ToolError } from '../tools/tool-error';

export interface HttpResult {
  statusCode: number;
  body: string;
}

/** The text an executor answered, or the `ToolError` of §4.3 ("Action error: <e>"). */
export function plainTextOf(response: ActionResponse): string {
  const plain = response.plainTextResponse;
  if (plain?.error) {
    throw new ToolError(
      plain.response ? `Action error: ${plain.error}\n${plain.response}` : `Action error: ${plain.error}`,
    );
  }
  return plain?.response || (response.response ?? '');
}

/** Status and body of a `runHTTPRequest` answer, or the `ToolError` "HTTP action error: <e>" (§4.3). */
export function httpResultOf(response: ActionResponse): HttpResult {
  const http = response.httpResponse;
  if (http?.error) throw new ToolError(`HTTP action error: ${http.error}`);
  if (!http) return { statusCode: 200, body: response.response ?? '' };
  return { statusCode: http.statusCode, body: http.body || (response.response ?? '') };
}
