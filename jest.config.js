const { compilerOptions } = require('./tsconfig.json');

// tsconfig's aliases: `@app/models` → libs/models/src, `@test/*` → test/* (specs reach test helpers through it),
// `@gitlab-ai-gateway/provider-api` → its TypeScript source (the app and the provider packages share that one copy).
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) =>
    name.endsWith('/*')
      ? [`^${name.slice(0, -1)}(.*)$`, `<rootDir>/${target.slice(0, -1)}$1`]
      : [`^${name}$`, `<rootDir>/${target}`],
  ),
);

const shared = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.(ts|js)$': '<rootDir>/test/helpers/jest-transformer.js' },
  // Some dependencies are ESM-only; the transformer converts those and passes CommonJS through.
  transformIgnorePatterns: [],
  moduleNameMapper,
};

module.exports = {
  // e2e tests boot processes; on a loaded 2-core machine that can take seconds.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/packages/*/src/**/*.spec.ts',
      ],
    },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
