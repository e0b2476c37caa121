export * from './conformance';
export * from './loopback-http';
export * from './model-fake';
export { ScriptedModelServer } from './scripted-model-server';
