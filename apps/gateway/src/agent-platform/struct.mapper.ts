/** `google.protobuf.Struct` as the proto loader hands it over (`oneofs: true` adds `kind`). */
export interface Struct {
  fields: Record<string, Value>;
}

export interface Value {
  kind?: string;
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: Struct;
  listValue?: { values: Value[] };
}

export function structToJson(struct: Struct | null | undefined): Record<string, unknown> | undefined {
  if (!struct) return undefined;
  return Object.fromEntries(Object.entries(struct.fields ?? {}).map(([key, value]) => [key, valueToJson(value)]));
}

function valueToJson(value: Value): unknown {
  switch (value.kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return structToJson(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(valueToJson);
    default:
      return null;
  }
}

export function jsonToStruct(object: object): Struct {
  return { fields: Object.fromEntries(Object.entries(object).map(([key, value]) => [key, jsonToValue(value)])) };
}

function jsonToValue(value: unknown): Value {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) } };
  return { structValue: jsonToStruct(value as object) };
}
