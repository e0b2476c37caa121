import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definition, definitionsDir, writeDefinitionFile } from '@test/helpers/prompt-files';
import { loadPromptDefinitions } from './prompt-loader';

const DEFINITION = definition('Chat', '{{ question }}');

const INPUTS = { question: 'Why?', user_name: 'Ann', language: 'Go' };

const summary = (definitions: ReturnType<typeof loadPromptDefinitions>) =>
  definitions.map((each) => ({
    id: each.id,
    family: each.family,
    name: each.name,
    params: each.params,
    messages: each.render(INPUTS),
  }));

/** The inputs a definition requires, as the 422 of a render without any names them. */
function requiredInputs(loaded: ReturnType<typeof loadPromptDefinitions>[number]): string {
  try {
    loaded.render({});
  } catch (error) {
    return (error as Error).message;
  }
  return 'none';
}

describe('loadPromptDefinitions with a parse cache', () => {
  const files = { 'chat/base/1.0.0.yml': DEFINITION, 'shared/system.jinja': 'You help {{ user_name }}.' };

  it('keeps what it parsed and loads the same definitions from it on the next start', () => {
    const dir = definitionsDir(files);
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'prompt-cache-')), 'nested');
    const first = loadPromptDefinitions(dir, cacheDir);
    expect(summary(first)).toEqual([
      expect.objectContaining({
        id: 'chat',
        family: 'base',
        name: 'Chat',
        messages: [
          { role: 'system', content: 'You help Ann.' },
          { role: 'user', content: 'Why?' },
        ],
      }),
    ]);
    expect(requiredInputs(first[0])).toMatch(/question.*user_name/);
    const [cacheFile] = readdirSync(cacheDir);
    expect(cacheFile).toMatch(/^aigw-prompts-[0-9a-f]{32}\.json$/);
    expect(summary(loadPromptDefinitions(dir, cacheDir))).toEqual(summary(first));
    // The second start read the cache: an entry changed on disk shows (the file itself is unchanged).
    const path = join(cacheDir, cacheFile);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"name":"Chat"', '"name":"From the cache"'));
    const fromCache = loadPromptDefinitions(dir, cacheDir)[0];
    expect(fromCache.name).toBe('From the cache');
    expect(requiredInputs(fromCache)).toBe(requiredInputs(first[0]));
  });

  it('parses again when any file of the folder changes, a partial included', () => {
    const dir = definitionsDir(files);
    const cacheDir = mkdtempSync(join(tmpdir(), 'prompt-cache-'));
    loadPromptDefinitions(dir, cacheDir);
    writeDefinitionFile(dir, 'shared/system.jinja', 'You help {{ user_name }} in {{ language }}.');
    const [changed] = loadPromptDefinitions(dir, cacheDir);
    expect(changed.render(INPUTS)[0].content).toBe('You help Ann in Go.');
    expect(requiredInputs(changed)).toMatch(/language.*question.*user_name/);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('parses again, and replaces the cache, when the cache does not hold valid definitions', () => {
    const dir = definitionsDir(files);
    const cacheDir = mkdtempSync(join(tmpdir(), 'prompt-cache-'));
    loadPromptDefinitions(dir, cacheDir);
    const path = join(cacheDir, readdirSync(cacheDir)[0]);
    writeFileSync(path, JSON.stringify({ 'chat/base/1.0.0.yml': { raw: null, required: [] } }));
    expect(loadPromptDefinitions(dir, cacheDir)[0].render(INPUTS)[0].content).toBe('You help Ann.');
    expect(JSON.parse(readFileSync(path, 'utf8'))['chat/base/1.0.0.yml'].raw).toMatchObject({ name: 'Chat' });
    writeFileSync(path, 'not json');
    expect(loadPromptDefinitions(dir, cacheDir)[0].name).toBe('Chat');
  });

  it('loads without a cache when its folder cannot be made, and without one at all', () => {
    const dir = definitionsDir(files);
    // Below a regular file: no folder can be made there, whoever runs the test.
    const cacheDir = join(dir, 'shared', 'system.jinja', 'cache');
    expect(loadPromptDefinitions(dir, cacheDir)[0].name).toBe('Chat');
    expect(loadPromptDefinitions(dir, undefined)[0].name).toBe('Chat');
  });

  it('still fails on a broken definition, and writes no cache for it', () => {
    const dir = definitionsDir({ ...files, 'chat/base/1.0.1.yml': DEFINITION.replace('{{ question }}', '{% if %}') });
    const cacheDir = mkdtempSync(join(tmpdir(), 'prompt-cache-'));
    expect(() => loadPromptDefinitions(dir, cacheDir)).toThrow(/^Invalid prompt definition chat\/base\/1\.0\.1\.yml/);
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
