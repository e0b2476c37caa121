// The example provider package ships its stand-in; the gateway's e2e tests use the same one.
export { startTgiFake, TgiWireFormat } from '../../packages/provider-tgi/testing/tgi.server';
