import { Random } from '../helpers/random';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const nest = (depth: number, leaf: Json): Json => {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
};

/** Values that have broken parsers, validators, counters, headers and labels before. */
function interestingValue(random: Random): Json {
  const pick = random.below(24);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([-1, 0, 1, 1.5, -0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.MAX_SAFE_INTEGER]);
    case 3:
      return '';
    case 4:
      return 'x'.repeat(random.pick([51, 256, 1001, 100_001, 1_000_000]));
    case 5:
      return random.pick(['Ω', 'a\nb', '\u0000', '\ud800', '💥'.repeat(100), '../../etc/passwd', '%s%n', '${x}']);
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return [[]];
    case 9:
      return { constructor: 1 };
    case 10:
      return nest(random.pick([8, 63, 64, 65, 200]), 1);
    case 11:
      return Array.from({ length: random.pick([2, 11, 101, 1000]) }, () => 'a');
    case 12:
      return random.pick(['http://127.0.0.1:9/v1', 'ftp://x', 'http://[::1', 'http://169.254.169.254/', 'not a url']);
    case 13:
      return random.pick(['custom_openai/', '/', 'bedrock/x', 'azure/', 'x'.repeat(2000), 'a/b/c']);
    case 14:
      return random.pick(['anthropic', 'vertex-ai', 'litellm', 'codestral', 'fireworks_ai', 'gitlab', 'amazon_q']);
    case 15:
      return random.pick(['codegemma', 'mistral', 'general', 'claude_3', 'llama3', 'unknown-family']);
    case 16:
      return { role: random.pick(['user', 'system', 'assistant', 'tool', 'x']), content: random.pick(['hi', '', 1]) };
    case 17:
      return random.pick([1, 2, 3, '2', 4]);
    case 18:
      return { type: 'file', name: 'f', content: 'c' };
    default:
      return random.pick(['a', 'hello', 'python', 'a.py', 'main', 'stream']);
  }
}

/** Every `[parent, key]` in a JSON tree, the root as `[undefined, undefined]`. */
function slots(root: Json): Array<[Json[] | { [key: string]: Json } | undefined, string | number | undefined]> {
  const found: Array<[Json[] | { [key: string]: Json } | undefined, string | number | undefined]> = [
    [undefined, undefined],
  ];
  const pending: Json[] = [root];
  while (pending.length > 0 && found.length < 2_000) {
    const value = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) {
      const index = Array.isArray(value) ? Number(key) : key;
      found.push([value, index]);
      pending.push((value as Record<string, Json>)[key]);
    }
  }
  return found;
}

/** One to four structural mutations of a copy of `body`. */
export function mutateJson(body: unknown, random: Random): unknown {
  let root = structuredClone(body ?? {}) as Json;
  const rounds = 1 + random.below(4);
  for (let round = 0; round < rounds; round += 1) {
    const [parent, key] = random.pick(slots(root));
    const value = interestingValue(random);
    if (parent === undefined || key === undefined) {
      root = random.chance(0.8) && typeof root === 'object' && root !== null ? root : value;
      continue;
    }
    const operation = random.below(5);
    const target = parent as Record<string | number, Json>;
    if (operation === 0 && !Array.isArray(parent)) delete target[key];
    else if (operation === 1) target[key] = [target[key]];
    else if (operation === 2 && Array.isArray(parent)) parent.push(...Array(random.below(20)).fill(parent[0]));
    else if (operation === 3 && !Array.isArray(parent))
      target[random.pick(['__proto__', 'constructor', 'x', key])] = value;
    else target[key] = value;
  }
  return root;
}

/** Byte-level damage to an encoded request: truncation, flipped or inserted bytes. */
export function mutateBytes(bytes: Buffer, random: Random): Buffer {
  const copy = Buffer.from(bytes);
  const operation = random.below(4);
  if (operation === 0) return copy.subarray(0, random.below(copy.length + 1));
  if (operation === 1 && copy.length > 0) {
    for (let flip = 0; flip < 1 + random.below(8); flip += 1) copy[random.below(copy.length)] = random.below(256);
    return copy;
  }
  if (operation === 2) {
    const at = random.below(copy.length + 1);
    const inserted = Buffer.from(Array.from({ length: 1 + random.below(16) }, () => random.below(256)));
    return Buffer.concat([copy.subarray(0, at), inserted, copy.subarray(at)]);
  }
  return Buffer.concat([copy, copy.subarray(0, random.below(copy.length + 1))]);
}
