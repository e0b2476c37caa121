/** A tool failed: the model gets the message as an error tool result and the run goes on (§4.3, §6.3). */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
