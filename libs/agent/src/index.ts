export * from './agent-catalog';
export * from './agent-options';
export * from './agent.module';
export * from './contract/contract-types';
export * from './session/action-codec';
export * from './session/call-context';
export * from './session/workflow-end';
export * from './session/workflow-runner';
