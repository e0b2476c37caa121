import { ClientEvent } from '@app/agent';
import { Struct, structToJson } from './struct.mapper';

/** The loader leaves `flowConfig` as a protobuf Struct; libs/agent reads plain JSON. */
export function toClientEvent(event: ClientEvent): ClientEvent {
  const start = event.startRequest;
  if (!start?.flowConfig) return event;
  return { ...event, startRequest: { ...start, flowConfig: structToJson(start.flowConfig as unknown as Struct) } };
}
