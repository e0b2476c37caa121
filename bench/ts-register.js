// Lets plain Node run the TypeScript benchmarks: `node -r ./bench/ts-register.js bench/auth-verify.bench.ts`.
// TypeScript files go through the Jest transformer (single-file transpile); `@app/*` resolves as in tsconfig.json.
// ESM-only dependencies load through Node's own require(esm).
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const transformer = require('../test/helpers/jest-transformer.js');
const { compilerOptions } = require('../tsconfig.json');

const root = path.resolve(__dirname, '..');
// `@app/models` → libs/models/src; `@test/fakes/x` → test/fakes/x.
const aliases = Object.entries(compilerOptions.paths).map(([name, [target]]) => [name, path.join(root, target)]);

function unalias(request) {
  for (const [name, target] of aliases) {
    if (request === name) return target;
    if (name.endsWith('/*') && request.startsWith(name.slice(0, -1))) {
      return target.slice(0, -1) + request.slice(name.length - 1);
    }
  }
  return request;
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, unalias(request), ...rest);
};
require.extensions['.ts'] = (module, filename) =>
  module._compile(transformer.process(readFileSync(filename, 'utf8'), filename).code, filename);
