import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh prompt definitions folder holding `files` (path relative to it → text). */
export function definitionsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
  for (const [path, text] of Object.entries(files)) writeDefinitionFile(dir, path, text);
  return dir;
}

export function writeDefinitionFile(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A definition named `name` whose system template includes `shared/system.jinja` and whose user template is `user`. */
export const definition = (name: string, user = '{{ input }}') => `name: ${name}
model:
  params: { temperature: 0.1, max_tokens: 10, timeout: 5 }
unit_primitives: [duo_chat]
prompt_template:
  system: |
    {% include 'shared/system.jinja' %}
  user: |
    ${user}
`;
