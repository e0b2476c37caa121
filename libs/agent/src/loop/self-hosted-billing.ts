import { ActionChannel } from '../session/action-channel';
import { plainTextOf } from '../session/action-result';

/**
 * The self-hosted billing bridge (§6.7): before each model call, `trackLlmCallForSelfHosted` goes out and
 * the call waits for the answer; a refusal fails the workflow.
 */
export class SelfHostedBilling {
  constructor(
    private readonly channel: ActionChannel,
    private readonly enabled: boolean,
    private readonly workflowID: string,
    private readonly featureQualifiedName: string,
  ) {}

  async beforeModelCall(): Promise<void> {
    if (!this.enabled) return;
    const response = await this.channel.request({
      trackLlmCallForSelfHosted: {
        workflowID: this.workflowID,
        featureQualifiedName: this.featureQualifiedName,
        featureAiCatalogItem: false,
      },
    });
    plainTextOf(response);
  }
}
