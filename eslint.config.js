import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';

/**
 * Lint with type information from the two TypeScript projects: tsconfig.browser.json (extension code, no Node
 * types) and tsconfig.json (Node code: relay, cli, tests, bench, scripts).
 */
export default tseslint.config(
	{ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'tests/e2e/artifacts/**', 'coverage/**', '.scratch/**', 'relay/dist/**', 'relay/node_modules/**']},
	{linterOptions: {reportUnusedDisableDirectives: 'error'}},
	js.configs.recommended,
	...tseslint.configs.recommended,
	comments.recommended,
	{
		languageOptions: {
			globals: {...globals.browser, ...globals.node},
			parserOptions: {
				project: ['./tsconfig.browser.json', './tsconfig.json'],
				tsconfigRootDir: import.meta.dirname,
			},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'@typescript-eslint/no-explicit-any': 'error',
			'no-console': 'off',
			eqeqeq: ['error', 'always'],
			'@typescript-eslint/explicit-function-return-type': ['error', {allowExpressions: true, allowTypedFunctionExpressions: true, allowHigherOrderFunctions: true}],
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/switch-exhaustiveness-check': ['error', {considerDefaultExhaustiveForUnions: true}],
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			// Every disable says why, after ` -- `.
			'@eslint-community/eslint-comments/require-description': ['error', {ignore: []}],
			'@eslint-community/eslint-comments/disable-enable-pair': ['error', {allowWholeFile: true}],
		},
	},
	{
		// Preact components and the pages that mount them: the rules of hooks hold for Preact's hooks too.
		files: ['components/**/*.tsx', 'entrypoints/**/*.tsx', 'tests/**/*.tsx'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
		},
	},
	{
		// Plain JavaScript (this file, relay/build.mjs) is in no TypeScript project.
		files: ['**/*.{js,mjs,cjs}'],
		...tseslint.configs.disableTypeChecked,
	},
);
