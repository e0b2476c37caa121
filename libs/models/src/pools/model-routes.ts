import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModelTarget } from '@gitlab-ai-gateway/provider-api';
import { MODELS_OPTIONS, ModelsOptions } from '../models-options';
import { BackendProbe } from './backend-probe';
import { EndpointPool } from './endpoint-pool';
import { PoolHealthChecks } from './pool-health-checks';
import { PoolMetrics } from './pool-metrics';
import { RouteConfig, RoutesConfig } from './routes-config';
import { readRoutesFile } from './routes-file';
import { RoutesFileWatcher } from './routes-file-watcher';

/** Where a routed call may go: its route's pool, then the fallback pools in order. */
export interface RoutePlan {
  route: string;
  pools: EndpointPool[];
}

/**
 * The routes file (`AIGW_MODEL_ROUTES__FILE`) in force: which calls go to which pool, and the pools with their
 * backends' state. A change to the file is applied when it validates; otherwise the last good version stays and
 * the log says why. Without a file, no call is routed.
 */
@Injectable()
export class ModelRoutes implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('models.routes');
  private routes: RouteConfig[] = [];
  private pools = new Map<string, EndpointPool>();
  private readonly checks: PoolHealthChecks;
  private readonly watcher?: RoutesFileWatcher;

  constructor(
    @Inject(MODELS_OPTIONS) options: ModelsOptions,
    probe: BackendProbe,
    private readonly metrics: PoolMetrics,
  ) {
    this.checks = new PoolHealthChecks(probe, metrics, this.logger);
    metrics.observe(() => this.pools.values());
    if (!options.routesFile) return;
    const path = options.routesFile;
    this.apply(readRoutesFile(path));
    this.watcher = new RoutesFileWatcher(
      path,
      () => this.reload(path),
      (error) => this.logger.error(`Stopped watching ${path} for changes (${error.message}); the routes in force stay`),
    );
  }

  onModuleInit(): void {
    this.watcher?.start();
    this.checks.start(this.pools.values());
  }

  onModuleDestroy(): void {
    this.watcher?.stop();
    this.checks.stop();
  }

  /**
   * The plan for a call to `target` whose request names model `family`; `undefined` when no route matches, and
   * the call goes to `target` as it is. Only calls to an endpoint are routed (not Bedrock or a vendor's cloud).
   */
  plan(target: ModelTarget, family: string | undefined): RoutePlan | undefined {
    if (!target.apiBase || this.routes.length === 0) return undefined;
    const endpoint = target.apiBase.replace(/\/+$/, '');
    const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
    const route = this.routes.find(({ match }) => {
      if (match.endpoint !== undefined && match.endpoint !== endpoint) return false;
      if (match.host !== undefined && match.host !== url?.host && match.host !== url?.hostname) return false;
      return match.family === undefined || match.family === family;
    });
    if (!route) return undefined;
    const pools = [route.pool, ...route.fallbacks].map((name) => this.pools.get(name)!);
    return { route: route.name, pools };
  }

  /** No route is configured: no call is routed. */
  get empty(): boolean {
    return this.routes.length === 0;
  }

  /** The pool a call to `target` for `family` is routed to first, for limits kept per pool. */
  poolOf(target: ModelTarget, family: string | undefined): string | undefined {
    return this.plan(target, family)?.pools[0].name;
  }

  private reload(path: string): void {
    let config: RoutesConfig;
    try {
      config = readRoutesFile(path);
    } catch (error) {
      this.logger.warn(`Kept the previous model routes: ${(error as Error).message}`);
      this.metrics.reloaded(false);
      return;
    }
    this.checks.stop();
    this.apply(config);
    this.checks.start(this.pools.values());
    this.metrics.reloaded(true);
    this.logger.log(
      `Reloaded the model routes from ${path}: ${config.routes.length} routes, ${config.pools.size} pools`,
    );
  }

  private apply(config: RoutesConfig): void {
    const pools = new Map<string, EndpointPool>();
    for (const [name, pool] of config.pools) pools.set(name, new EndpointPool(pool, this.pools.get(name)));
    this.pools = pools;
    this.routes = config.routes;
  }
}
