import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppError, ErrorCode, ModelProvider, ModelProviderDefinition } from '@gitlab-ai-gateway/provider-api';
import { MODELS_OPTIONS, ModelsOptions } from './models-options';
import { UpstreamHttp } from './transport/upstream-http';

/**
 * Provider name (a `ModelTarget.provider`: the part of `model_identifier` before the first `/`, or a path
 * default) → the provider that serves it, from the definitions in {@link ModelsOptions.providers}: the built-in
 * ones and those of the packages the configuration names, all registered the same way. Each is created once at
 * start-up with the pooled transport and the Nest instances its `inject` names.
 */
@Injectable()
export class ModelProviders implements OnModuleInit {
  private byName?: ReadonlyMap<string, ModelProvider>;

  constructor(
    @Inject(MODELS_OPTIONS) private readonly options: ModelsOptions,
    private readonly http: UpstreamHttp,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** At start-up, so that a bad definition fails it; a module compiled without `init()` registers on first use. */
  onModuleInit(): void {
    this.registered();
  }

  /**
   * Whether a target without an endpoint may be called (gitlab-versions.md §2): the provider says (Bedrock: the
   * AWS configuration says where; a vendor's cloud: only with the operator's key for it). Others need an endpoint.
   */
  servesWithoutEndpoint(name: string): boolean {
    return this.registered().get(name)?.servesWithoutEndpoint?.(name) === true;
  }

  /** Every provider name served here: the fixed set the `model_engine` metric label is drawn from. */
  names(): string[] {
    return [...this.registered().keys()];
  }

  get(name: string): ModelProvider {
    const provider = this.registered().get(name);
    if (!provider) throw new AppError(ErrorCode.InvalidInput, `model provider ${name} is not supported`);
    return provider;
  }

  private registered(): ReadonlyMap<string, ModelProvider> {
    this.byName ??= this.register();
    return this.byName;
  }

  private register(): Map<string, ModelProvider> {
    const byName = new Map<string, ModelProvider>();
    const registeredBy = new Map<string, string>();
    for (const definition of this.options.providers) {
      const label = definition.names.join(', ');
      const provider = this.create(definition);
      for (const name of definition.names) {
        const earlier = registeredBy.get(name);
        if (earlier !== undefined) {
          throw new Error(`Model provider name "${name}" is registered twice: by [${earlier}] and by [${label}]`);
        }
        registeredBy.set(name, label);
        byName.set(name, provider);
      }
    }
    return byName;
  }

  private create(definition: ModelProviderDefinition): ModelProvider {
    const injected = (definition.inject ?? []).map((token) => this.moduleRef.get(token as never, { strict: false }));
    const logger = new Logger(`model-provider.${definition.names[0]}`);
    return definition.create({ http: this.http, logger }, ...(injected as never[]));
  }
}
