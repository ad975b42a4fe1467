// The linter keeps the environments apart (VS Code's rule, our folders):
// relay/ never imports Electron or React, renderer/ never imports Node or
// relay internals (only relay/contract), electron/ holds no business logic.
// Inside, LAYER_RULES keep the rooms of docs/architecture.md apart; import
// cycles are refused by build/check-cycles.mjs (`npm run lint` runs both).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { layersPlugin } from './build/eslint-layers.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));

// Services: what a request or an upstream event is handled by. Infrastructure:
// what services build on (3CX clients, the relay's own store, the event hub).
const SERVICES = ['relay/auth/', 'relay/admin/', 'relay/monitor/', 'relay/live-calls/', 'relay/call-records/', 'relay/alerts/', 'relay/supervisor/', 'relay/team/'];
const INFRASTRUCTURE = ['relay/pbx/', 'relay/store/', 'relay/events/'];
const SERVICE_ROOT = ['relay/service', 'relay/service-types'];

/** @type {import('./build/eslint-layers.mjs').LayerRule[]} */
export const LAYER_RULES = [
  {
    name: 'services-below-http',
    from: [...SERVICES, ...INFRASTRUCTURE],
    forbid: ['relay/http/'],
    message: 'services do not import relay/http/: the HTTP layer calls services, never the other way round',
  },
  {
    name: 'infrastructure-below-services',
    from: INFRASTRUCTURE,
    forbid: [...SERVICES, ...SERVICE_ROOT, 'relay/demo/', 'relay/config/'],
    message: 'pbx/, store/ and events/ import only contract/, core/ and each other; services build on them',
  },
  {
    name: 'config-and-demo-below-service',
    from: ['relay/config/', 'relay/demo/'],
    forbid: ['relay/service'],
    message: 'the service builds on config/ and demo/, so they do not import relay/service.ts (types: relay/service-types.ts, relay/pbx/pbx-config.ts)',
  },
  {
    name: 'electron-through-public-entry',
    from: ['electron/'],
    exceptFrom: ['electron/settings/connection-test'],
    forbid: ['relay/'],
    allow: ['relay/contract/', 'relay/core/', ...SERVICE_ROOT],
    message: 'electron/ reaches the relay only through relay/contract/, relay/core/ and the service\'s public entry (relay/service.ts)',
  },
  {
    // The one exception: the settings page tests unsaved settings by building
    // the upstream clients the relay would build, without a running relay.
    name: 'connection-test-through-upstreams',
    from: ['electron/settings/connection-test'],
    forbid: ['relay/'],
    allow: ['relay/contract/', 'relay/core/', 'relay/pbx/', ...SERVICE_ROOT],
    message: 'the connection test may use the upstream clients (relay/pbx/), the contract and core/ only',
  },
  {
    name: 'simulator-independent-of-client',
    from: ['relay/sim/'],
    forbid: ['relay/pbx/'],
    message: 'the simulator stands in for 3CX: it keeps its own copy of 3CX\'s names (docs/3cx-v20.md) and never imports the client it is tested against',
  },
  {
    name: 'simulator-only-in-demo',
    from: ['relay/', 'electron/', 'renderer/'],
    exceptFrom: ['relay/sim/', 'relay/demo/'],
    forbid: ['relay/sim/'],
    message: 'production code never imports the 3CX simulator; only relay/demo/ runs it',
  },
];

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'events', 'url', 'util', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'renderer/dist/', 'test/artifacts/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['relay/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { layers: layersPlugin({ root, rules: LAYER_RULES }) },
    rules: { 'layers/imports': 'error' },
  },
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
