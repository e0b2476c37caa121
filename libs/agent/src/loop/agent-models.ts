import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { ModelMetadata, modelMetadataProblem, ModelService, ModelTarget, resolveModelTarget } from '@app/models';
import { AGENT_OPTIONS, AgentOptions } from '../agent-options';
import { SessionModel, SessionModelFactory } from './session-model';

/** Self-hosted models do not report their context window; this is what `max_tokens` shows (§6.5). */
const ASSUMED_CONTEXT_TOKENS = 128_000;

type RawMetadata = Record<string, unknown>;

/** Model selection of §6.8 through libs/models: the header's model, else the configured default. */
@Injectable()
export class AgentModels extends SessionModelFactory {
  private readonly logger = new Logger('agent.model');

  constructor(
    private readonly models: ModelService,
    @Inject(AGENT_OPTIONS) private readonly options: AgentOptions,
  ) {
    super();
  }

  create(metadataJson: string | undefined): SessionModel {
    const chosen = this.targetOf(metadataJson);
    const target = chosen ?? this.defaultTarget();
    const metadata = chosen ? parsed(metadataJson) : this.options.defaultModelMetadata;
    const family = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name.toLowerCase() : undefined;
    return {
      maxContextTokens: ASSUMED_CONTEXT_TOKENS,
      family,
      stream: (request) => {
        if (!target) {
          throw new AppError(
            ErrorCode.Internal,
            'No model selected: send x-gitlab-agent-platform-model-metadata or configure a default model',
          );
        }
        return this.models.stream(target, { ...request, family }, { featureCategory: 'duo_agent_platform' });
      },
    };
  }

  private targetOf(metadataJson: string | undefined): ModelTarget | undefined {
    if (!metadataJson) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(metadataJson);
    } catch {
      this.logger.warn('Ignored x-gitlab-agent-platform-model-metadata: not JSON');
      return undefined;
    }
    if (!raw || typeof raw !== 'object' || (raw as RawMetadata).provider === 'gitlab') return undefined;
    return this.resolve(raw as RawMetadata, 'x-gitlab-agent-platform-model-metadata');
  }

  private defaultTarget(): ModelTarget | undefined {
    const metadata = this.options.defaultModelMetadata;
    return Object.keys(metadata).length > 0 ? this.resolve(metadata, 'default model') : undefined;
  }

  private resolve(raw: RawMetadata, source: string): ModelTarget | undefined {
    const problem = modelMetadataProblem(raw);
    if (problem) {
      this.logger.warn(`Ignored the ${source}: ${problem} (gitlab-versions.md §2)`);
      return undefined;
    }
    const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);
    const metadata: ModelMetadata = {
      provider: text('provider'),
      name: text('name'),
      endpoint: text('endpoint'),
      apiKey: text('api_key'),
      identifier: text('identifier'),
    };
    try {
      return resolveModelTarget(metadata, {
        provider: 'custom_openai',
        stripTrailingSlash: true,
        missingApiKey: 'None',
      });
    } catch (error) {
      this.logger.warn(`Ignored the ${source}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}

function parsed(json: string | undefined): RawMetadata | undefined {
  try {
    const value: unknown = JSON.parse(json ?? '');
    return value && typeof value === 'object' ? (value as RawMetadata) : undefined;
  } catch {
    return undefined;
  }
}
