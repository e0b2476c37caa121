// Jest runs CommonJS; NestJS 12 and a few of its dependencies ship ES modules only. This transformer
// compiles our TypeScript and those ES modules to CommonJS with TypeScript's single-file transpiler (the
// same job ts-jest does in isolatedModules mode), turning `import.meta.*` into the CommonJS equivalents.
// CommonJS files from node_modules pass through untouched.
const crypto = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  allowJs: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};

const IMPORT_META = [
  [/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href'],
  [/\bimport\.meta\.dirname\b/g, '__dirname'],
  [/\bimport\.meta\.filename\b/g, '__filename'],
  [/\bimport\.meta\.resolve\(/g, 'require.resolve('],
];
// `const require = createRequire(import.meta.url)` would clash with CommonJS's own `require`.
const REQUIRE_SHIM = /^\s*const require = createRequire\(import\.meta\.url\);?\s*$/gm;

const ESM_SYNTAX = /^\s*(import|export)[\s{*]/m;

module.exports = {
  process(source, filename) {
    if (filename.endsWith('.js') && filename.includes('/node_modules/') && !ESM_SYNTAX.test(source)) {
      return { code: source };
    }
    const code = IMPORT_META.reduce(
      (text, [pattern, cjs]) => text.replace(pattern, cjs),
      source.replace(REQUIRE_SHIM, ''),
    );
    const { outputText } = ts.transpileModule(code, { compilerOptions, fileName: filename });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(ts.version).update('v4').update(filename).update(source).digest('hex');
  },
};
