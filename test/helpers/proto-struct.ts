import { Client, Metadata } from '@grpc/grpc-js';

/** A JSON value as a `google.protobuf.Value` the proto loader writes. */
function valueOf(value: unknown): object {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (Array.isArray(value)) return { listValue: { values: value.map(valueOf) } };
  if (typeof value === 'object') return { structValue: toStruct(value as Record<string, unknown>) };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return { numberValue: value };
}

/** A JSON object as a `google.protobuf.Struct`. */
export function toStruct(object: Record<string, unknown>): { fields: Record<string, object> } {
  return { fields: Object.fromEntries(Object.entries(object).map(([key, value]) => [key, valueOf(value)])) };
}

/** A `google.protobuf.Struct` as the loader hands it back (`oneofs: true`), as JSON. */
export function fromStruct(struct: { fields: Record<string, any> }): Record<string, unknown> {
  const json = (value: any): unknown => {
    switch (value.kind) {
      case 'structValue':
        return fromStruct(value.structValue);
      case 'listValue':
        return value.listValue.values.map(json);
      case 'nullValue':
        return null;
      default:
        return value[value.kind];
    }
  };
  return Object.fromEntries(Object.entries(struct.fields).map(([key, value]) => [key, json(value)]));
}

type Unary = (request: object, metadata: Metadata, callback: (error: Error | null, reply: any) => void) => void;

/** One unary call of `client`. */
export function unary(client: Client, method: string, request: object, metadata = new Metadata()): Promise<any> {
  const call = (client as unknown as Record<string, Unary>)[method].bind(client);
  return new Promise((resolve, reject) =>
    call(request, metadata, (error, reply) => (error ? reject(error) : resolve(reply))),
  );
}
