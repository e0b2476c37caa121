import { Injectable } from '@nestjs/common';
import { LabelValues } from '@app/common';
import { MODEL_FAMILIES } from '../catalog/model-families';
import { ModelProviders } from '../model-providers';

/** Engines code suggestions report besides the provider names (http-api.md §2.2: `agent` on registry paths). */
const SUGGESTION_ENGINES = ['agent', 'litellm'];
/** The `feature_category` values callers pass (http-api.md §5.3), `unknown` when they pass none. */
const FEATURE_CATEGORIES = ['code_suggestions', 'duo_chat', 'duo_agent_platform', 'global_search', 'unknown'];

/**
 * The label values of the model metrics (issue 15): `model_engine` from the provider table, `model_name` from the
 * model family list, `feature_category` from the callers' fixed list; anything else is `other`. A model
 * identifier or endpoint as a request names it never becomes a label.
 */
@Injectable()
export class ModelLabels {
  private engines?: LabelValues;
  private readonly names = new LabelValues(Object.keys(MODEL_FAMILIES));
  private readonly categories = new LabelValues(FEATURE_CATEGORIES);

  constructor(private readonly providers: ModelProviders) {}

  model(engine: string, name: string): { model_engine: string; model_name: string } {
    // Read at the first call: the provider table is built on first use.
    this.engines ??= new LabelValues(this.providers.names(), SUGGESTION_ENGINES);
    return { model_engine: this.engines.of(engine), model_name: this.names.of(name) };
  }

  featureCategory(category: string): string {
    return this.categories.of(category);
  }
}
