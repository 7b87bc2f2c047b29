import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
	{ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'tests/e2e/artifacts/**', 'coverage/**', '.scratch/**', 'relay/dist/**', 'relay/node_modules/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		languageOptions: {
			globals: {...globals.browser, ...globals.node},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
			'@typescript-eslint/no-explicit-any': 'error',
			'no-console': 'off',
			eqeqeq: ['error', 'always'],
			'@typescript-eslint/explicit-function-return-type': ['error', {allowExpressions: true, allowTypedFunctionExpressions: true, allowHigherOrderFunctions: true}],
		},
	},
);
