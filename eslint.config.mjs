// Lint for the whole package: typescript-eslint's recommended rules, no `any`, and no console
// output from node code (the runtimes have their own logging: Node-RED node.log, n8n logger).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
);
