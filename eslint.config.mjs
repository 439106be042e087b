// Typed linting for the extension and its tests (flat config).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { roomRules } from './scripts/lib/extensionRooms.mjs';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'artifacts/**', '.run/**', 'server/**', '**/bin/**', '**/obj/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      curly: 'error',
      eqeqeq: 'error',
    },
  },
  // The rooms' import rules (ARCHITECTURE.md, "The extension").
  {
    // The webview is a browser bundle: it takes the vscode-free shared code (the wire types among it), nothing else of the host.
    files: ['extension/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./src/(?!shared/)', message: 'The webview imports only from src/shared/.' }] }],
    },
  },
  // Every room of extension/src: what it may import, from the one table (scripts/lib/extensionRooms.mjs).
  ...roomRules(),
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Functions these tests run inside the page (page.evaluate, addInitScript) use the browser's globals.
    files: ['tests/webview/**/*.mjs', 'tests/e2e/**/*.mjs', 'tests/extension/runInCodeServer.mjs', 'tests/support/evidence.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
);
