import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The core is shared by every gate, so it must not depend on any of them.
const gateOnly = ['express', 'pino', 'prom-client', '@pulumi/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: 'use string unions, not enums',
        },
        { selector: 'ExportDefaultDeclaration', message: 'use named exports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: gateOnly, message: 'the core imports no gate library' },
            {
              group: ['**/admission/**', '**/cli/**', '**/pulumi-policies/**'],
              message: 'the core never imports a gate',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON fixtures (AdmissionReviews, case files).
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
