// The linter keeps the environments apart (VS Code's rule, our folders):
// relay/ never imports Electron or React, renderer/ never imports Node or
// relay internals (only relay/contract), electron/ holds no business logic.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'events', 'url', 'util', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'renderer/dist/', 'test/artifacts/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['relay/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'electron/*'], message: 'relay/ runs headless: no Electron imports.' },
        { group: ['react', 'react-dom', 'react/*', '**/renderer/**'], message: 'relay/ never imports the renderer.' },
        { group: ['**/electron/**'], message: 'relay/ never imports the desktop shell.' },
      ] }],
    },
  },
  {
    files: ['relay/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: nodeBuiltins, message: 'the contract is shared with the renderer: no Node imports.' },
        { group: ['../*', '!./*'], message: 'the contract imports nothing outside relay/contract.' },
      ] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: nodeBuiltins, message: 'renderer/ runs in a sandboxed browser: no Node imports.' },
        { group: ['electron', 'electron/*'], message: 'renderer/ talks to the shell only through window.relayDesktop.' },
        { group: ['**/relay/*', '!**/relay/contract', '**/relay/!(contract)/**'], message: 'renderer/ may import only relay/contract.' },
      ] }],
    },
  },
);
