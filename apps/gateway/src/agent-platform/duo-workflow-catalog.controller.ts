import { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { AgentCatalog, FlowFilters, SERVER_CAPABILITIES } from '@app/agent';
import { WorkflowTokenIssuer } from '@app/auth';
import { AgentPlatformAuth } from './agent-platform-auth';
import { jsonToStruct, Struct, structToJson } from './struct.mapper';

/** The unary RPCs of `DuoWorkflow` (agent-platform.md §2); List/Validate need authentication only (§5.3). */
@Controller()
export class DuoWorkflowCatalogController {
  constructor(
    private readonly auth: AgentPlatformAuth,
    private readonly issuer: WorkflowTokenIssuer,
    private readonly catalog: AgentCatalog,
  ) {}

  @GrpcMethod('DuoWorkflow', 'GenerateToken')
  async generateToken(request: { workflowDefinition?: string | null }, metadata: Metadata) {
    const identity = await this.auth.authenticate(metadata);
    const issued = this.issuer.issue(identity, metadata, request.workflowDefinition || undefined);
    return { token: issued.token, expiresAt: issued.expiresAt, server_capabilities: SERVER_CAPABILITIES };
  }

  @GrpcMethod('DuoWorkflow', 'ListTools')
  async listTools(_request: object, metadata: Metadata) {
    await this.auth.authenticate(metadata);
    return { tools: this.catalog.listTools().map(jsonToStruct), eval_dataset: [] };
  }

  @GrpcMethod('DuoWorkflow', 'ListFlows')
  async listFlows(request: { filters?: FlowFilters | null }, metadata: Metadata) {
    await this.auth.authenticate(metadata);
    return { configs: this.catalog.listFlows(request.filters ?? {}).map(jsonToStruct) };
  }

  @GrpcMethod('DuoWorkflow', 'ListCapabilities')
  async listCapabilities(_request: object, metadata: Metadata) {
    await this.auth.authenticate(metadata);
    return { capabilities: this.catalog.capabilities() };
  }

  @GrpcMethod('DuoWorkflow', 'ValidateFlowConfig')
  async validateFlowConfig(request: { flow_config?: Struct | null }, metadata: Metadata) {
    await this.auth.authenticate(metadata);
    return this.catalog.validateFlowConfig(structToJson(request.flow_config));
  }
}
