// The linter (`npm run lint`, run by CI): correctness rules for TypeScript, accessibility rules for
// JSX, no import cycles, and the house's boundaries (DESIGN §2, ADR 005): platform/ and the
// newsroom shell import no feature, and no feature reads another feature's repository.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import tseslint from 'typescript-eslint';

const FEATURES = ['accounts', 'ads', 'alerts', 'articles', 'comments', 'content-api', 'demo', 'feeds', 'importers', 'media', 'operations', 'search', 'settings', 'site'];
const featureImports = (up) => FEATURES.map((name) => `${up}${name}/**`);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    plugins: { 'import-x': importX },
    // Imports name their files with extensions (.ts, .tsx, .mjs), as Node resolves them.
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.mjs', '.js'] } },
    },
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', performance: 'readonly' } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Input checks and log formatting match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      // Preact writes <label for>, which this rule does not read (it looks for React's htmlFor);
      // axe checks every label's control in the browser journeys instead.
      'jsx-a11y/label-has-associated-control': 'off',
    },
  },
  {
    // Every feature folder: another feature is reached through its service, never its repository.
    // (Tests are not rooms of the house: they may set up through any part.)
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*/*repository.ts', '../../*/*repository.ts'], message: 'Call that feature’s service; its repository (SQL, rows) is its own.' }] }],
    },
  },
  {
    files: ['src/platform/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...featureImports('../'), '../newsroom/**'], message: 'platform/ is below every feature: pass what it needs in.' }] }],
    },
  },
  {
    files: ['src/newsroom/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: featureImports('../'), message: 'The newsroom shell is below the features whose screens use it: pass what it needs in.' }] }],
    },
  },
);
