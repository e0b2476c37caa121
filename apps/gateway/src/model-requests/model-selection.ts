import { Inject, Injectable } from '@nestjs/common';
import {
  isKnownModel,
  modelEndpointRequired,
  ModelFieldNames,
  ModelService,
  ModelTarget,
  validateModelEndpoint,
} from '@app/models';
import { AppConfig } from '../config';
import { ROOT_LOGGER, RootLogger } from '../logging/logging.module';
import { modelMetadataTarget, refuseCloudOnlyProvider, requireCustomModels } from './custom-models';
import { ModelMetadataDto } from './model-metadata.dto';

export const MODEL_METADATA_FIELDS: ModelFieldNames = {
  endpoint: 'model_metadata.endpoint',
  apiKey: 'model_metadata.api_key',
};

/** Unknown names are logged once each; past this many distinct names, no more (requests choose them). */
const REMEMBERED_UNKNOWN_NAMES = 100;
const LOGGED_NAME_LENGTH = 255;

/** A request's model: the name prompts are resolved for, and where the call goes. */
export interface SelectedModel {
  name: string;
  target: ModelTarget;
}

/**
 * gitlab-versions.md §2's one rule for `model_metadata`: GitLab-managed and Amazon Q models refused (§4a); an
 * unknown name served with the `general` prompts and logged once; no endpoint (and no `bedrock/` identifier, or
 * a cloud whose key the operator set) refused with 422 naming `model_metadata.endpoint` — all before any I/O.
 */
@Injectable()
export class ModelSelection {
  private readonly loggedUnknownNames = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly models: ModelService,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  fromMetadata(metadata: ModelMetadataDto | undefined): SelectedModel {
    if (!metadata) throw modelEndpointRequired(MODEL_METADATA_FIELDS.endpoint);
    refuseCloudOnlyProvider(metadata.provider);
    if (metadata.endpoint) requireCustomModels(this.config);
    const name = metadata.name ?? '';
    this.noteUnknown(name);
    if (metadata.endpoint) {
      // Checked even when a `bedrock/` identifier leaves the endpoint out of the target.
      validateModelEndpoint(
        metadata.endpoint,
        this.config.customModels.allowedEndpoints,
        MODEL_METADATA_FIELDS.endpoint,
      );
    }
    const target = modelMetadataTarget(metadata);
    this.models.assertServable(target, MODEL_METADATA_FIELDS);
    return { name, target };
  }

  /** Logs a model name the catalog does not know, once per name, and serves it as `general`. */
  noteUnknown(name: string): void {
    if (isKnownModel(name) || this.loggedUnknownNames.has(name)) return;
    if (this.loggedUnknownNames.size >= REMEMBERED_UNKNOWN_NAMES) return;
    this.loggedUnknownNames.add(name);
    this.logger.info(
      { logger: 'models', model_name: name.slice(0, LOGGED_NAME_LENGTH) },
      'Unknown model name: served with the general prompts',
    );
  }
}
