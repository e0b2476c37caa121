// `npm run lint`: TypeScript's own check (tsc), then these rules, then Prettier's format check.
import { basename } from 'node:path';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** File names are kebab-case, with dots between the name's parts: `model.service.spec.ts`, `sse-parser.ts`. */
const fileNameCase = {
  meta: { type: 'suggestion', schema: [], messages: { name: 'File name "{{name}}" is not kebab-case.' } },
  create(context) {
    return {
      Program(node) {
        const name = basename(context.filename);
        if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/.test(name)) {
          context.report({ node, messageId: 'name', data: { name } });
        }
      },
    };
  },
};

const ONLY_THROUGH_INDEX = {
  group: ['@app/*/*', '**/libs/**'],
  message: "Import a library through its index.ts ('@app/<lib>'), not a file inside it.",
};
/** From one library into another by a relative path (`../../auth/src/…`), which the glob above cannot see. */
const OTHER_LIBRARY_BY_PATH = {
  regex: '^(\\.\\./)+(agent|auth|common|limits|models)/src(/|$)',
  message: "Import another library through its index.ts ('@app/<lib>'), not by a relative path.",
};
const TEST_HELPERS_BY_ALIAS = {
  group: ['**/test/**', '!@test/**'],
  message: "Reach test helpers and fakes through the '@test/*' alias.",
};
const NO_TEST_CODE = { group: ['@test/**'], message: 'Only specs use test helpers and fakes.' };
const NO_APPS = { group: ['**/apps/**', 'apps/**'], message: 'Libraries never import from apps/.' };
/** A provider package is built only on the public provider API, so that it runs against any gateway image. */
const PUBLIC_API_ONLY = {
  group: ['@app/*', '@test/*', '**/libs/**', '**/apps/**', '**/test/**'],
  message: "Provider packages use only '@gitlab-ai-gateway/provider-api' (and its '/testing' in specs).",
};
const restricted = (...patterns) => ['error', { patterns: [ONLY_THROUGH_INDEX, TEST_HELPERS_BY_ALIAS, ...patterns] }];

export default tseslint.config(
  { ignores: ['dist/', 'packages/*/dist/', 'node_modules/', '.tools/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    plugins: { local: { rules: { 'file-name-case': fileNameCase } } },
    rules: {
      'local/file-name-case': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-imports': restricted(),
    },
  },
  { files: ['apps/**'], ignores: ['**/*.spec.ts'], rules: { 'no-restricted-imports': restricted(NO_TEST_CODE) } },
  { files: ['libs/**'], rules: { 'no-restricted-imports': restricted(NO_APPS, OTHER_LIBRARY_BY_PATH) } },
  {
    files: ['libs/**'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': restricted(NO_APPS, OTHER_LIBRARY_BY_PATH, NO_TEST_CODE) },
  },
  { files: ['packages/**'], rules: { 'no-restricted-imports': ['error', { patterns: [PUBLIC_API_ONLY] }] } },
  {
    // Tests read JSON bodies and proto messages of any shape.
    files: ['test/**', '**/*.spec.ts', 'bench/**', 'packages/*/src/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'require-yield': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
);
