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
			'@typescript-eslint/no-namespace': 'off', // protocol.ts uses the vscode-languageserver-node namespace style
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			curly: 'error',
			eqeqeq: 'error',
		},
	},
	{
		files: ['**/*.mjs'],
		languageOptions: { globals: { ...globals.node } },
	},
	{
		// Functions these tests run inside the page (page.evaluate, addInitScript) use the browser's globals.
		files: ['tests/webview/**/*.mjs', 'tests/e2e/**/*.mjs'],
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
	},
	{
		files: ['**/*.js'],
		languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
	},
);
