import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from '../config';
import { loadProviderModules } from './provider-modules';

describe(loadProviderModules.name, () => {
  let dir: string;
  const moduleFile = (name: string, source: string) => {
    const path = join(dir, name);
    writeFileSync(path, source);
    return path;
  };

  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'aigw-provider-modules-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the default export, or a providers list, of each module in order', () => {
    const one = moduleFile('one.js', "exports.default = { names: ['one'], create: () => ({}) };");
    const many = moduleFile(
      'many.js',
      "exports.providers = [{ names: ['two'], create: () => ({}) }, { names: ['three', '3'], create: () => ({}) }];",
    );
    expect(loadProviderModules([one, many]).map((definition) => definition.names)).toEqual([
      ['one'],
      ['two'],
      ['three', '3'],
    ]);
  });

  it('fails naming a package that cannot be found', () => {
    expect(() => loadProviderModules(['@acme/not-installed'])).toThrow(ConfigValidationError);
    expect(() => loadProviderModules(['@acme/not-installed'])).toThrow(
      /AIGW_MODEL_PROVIDERS__MODULES: "@acme\/not-installed" cannot be loaded: .*Cannot find module '@acme\/not-installed'/,
    );
  });

  it('fails naming a module that throws while it loads', () => {
    const broken = moduleFile('broken.js', "throw new Error('no licence file');");
    expect(() => loadProviderModules([broken])).toThrow(`"${broken}" cannot be loaded: no licence file`);
  });

  it.each([
    ['nothing', 'exports.other = 1;'],
    ['a definition without names', 'exports.default = { names: [], create: () => ({}) };'],
    ['a definition without create', "exports.default = { names: ['x'] };"],
    ['a list with one bad entry', "exports.providers = [{ names: ['x'], create: () => ({}) }, { names: ['y'] }];"],
  ])('fails naming a module that exports %s', (_case, source) => {
    const path = moduleFile(`${_case.replaceAll(' ', '-')}.js`, source);
    expect(() => loadProviderModules([path])).toThrow(`"${path}" exports no model provider`);
  });
});
