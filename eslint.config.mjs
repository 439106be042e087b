// Typed linting for the extension and its tests (flat config).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
  {
    // shared/ is what the webview may import: no vscode, no node, no other room.
    files: ['extension/src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'shared/ is loaded by the webview: no vscode.' }],
        patterns: [
          { regex: '^(vscode-|node:)', message: 'shared/ is loaded by the webview: no vscode or node modules.' },
          { regex: '^\\.\\./', message: 'shared/ imports nothing of the other rooms.' },
        ],
      }],
    },
  },
  {
    // Chats and tasks share through panel/, approvals/ and shared/, never through each other.
    files: ['extension/src/chat/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./tasks/', message: 'chat/ does not import tasks/: move what both use to panel/, approvals/ or shared/.' }] }] },
  },
  {
    files: ['extension/src/tasks/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./chat/', message: 'tasks/ does not import chat/: move what both use to panel/, approvals/ or shared/.' }] }] },
  },
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
