import { Metadata } from '@grpc/grpc-js';
import { HeaderBag } from './identity';

/** gRPC metadata as a header bag (keys arrive lower-case); binary `-bin` entries are left out. */
export function metadataHeaders(metadata: Metadata): HeaderBag {
  const headers: HeaderBag = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (typeof value === 'string') headers[key] = value;
  }
  return headers;
}
