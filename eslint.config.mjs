// Lint for the whole package, run by `npm run lint` as n8n's own linter (`n8n-node lint`, which runs
// `eslint .` with this file; scripts/n8n-lint.sh installs it):
// - everything: typescript-eslint's recommended rules, no `any`, no console output from node code
//   (the runtimes have their own logging: Node-RED node.log, n8n logger);
// - the code n8n loads (the generated node classes, the n8n adapter, the core and the credential):
//   n8n's community-node rules (@n8n/node-cli's `config`) with the node-description rules, which read
//   the generated `nodes/<Class>/<Class>.node.ts` sources. Node-RED code, the local server, scripts and
//   tests are not loaded by n8n and keep the general rules only.
import { createRequire } from 'node:module';

// typescript-eslint and @eslint/js come from the same install as n8n's config: ESLint refuses two
// instances of one plugin in a file's config.
const requireFromLintHost = createRequire(new URL('./.n8n-lint/node_modules/@n8n/node-cli/package.json', import.meta.url));
let n8nConfig, js, tseslint;
try {
  n8nConfig = requireFromLintHost('@n8n/node-cli/eslint').config;
  js = requireFromLintHost('@eslint/js');
  tseslint = requireFromLintHost('typescript-eslint');
} catch {
  throw new Error("n8n's linter is not installed: run `npm run lint` (or `bash scripts/n8n-lint.sh --setup-only`)");
}

/** What n8n loads from this package. */
const n8nCode = ['nodes/AgentBay*/**/*.ts', 'nodes/n8n/**/*.ts', 'nodes/core/**/*.ts', 'credentials/**/*.ts'];
/** Where n8n node descriptions and n8n errors are made: the generated classes and the n8n adapter. */
const n8nAdapter = ['nodes/AgentBay*/**/*.ts', 'nodes/n8n/**/*.ts', 'credentials/**/*.ts'];

/** n8n's config, narrowed from every `**\/*.ts` (and `./nodes/**`) to the code n8n loads. */
const n8nScoped = n8nConfig.map((entry) => {
  if (!entry.files) return entry;
  if (!entry.files.some((pattern) => String(pattern).endsWith('.ts'))) return entry;
  if (entry.files.every((pattern) => String(pattern).includes('credentials/'))) return { ...entry, files: ['credentials/**/*.ts'] };
  // n8n-nodes-base's node rules read node descriptions: the generated classes and the adapter that renders them.
  if (entry.files.every((pattern) => String(pattern).includes('nodes/'))) return { ...entry, files: n8nAdapter };
  return { ...entry, files: n8nCode };
});

/**
 * Exceptions, each with its reason (everything else of n8n's rules holds with 0 errors):
 * 1. The runtime dependencies the package needs: axios (HTTP with keep-alive agents, proxies through
 *    CONNECT tunnels, cancellation) and ajv (the catalogue's JSON Schemas). n8n Cloud's rules allow no
 *    runtime dependency and no Node built-in but crypto, and want n8n's own HTTP helpers and timers. The
 *    core is shared with Node-RED, which has no such helpers, so the HTTP stack is axios on node:http/https
 *    (node:net/tls/stream for tunnels), with its own retry timers, proxy environment and user agent; only
 *    the files of that stack, and the package.json entry, are exempt.
 * 2. `require-node-api-error` applies where n8n errors are made (the adapter and the generated classes).
 *    The core never imports n8n-workflow (it also serves Node-RED); it throws AgentBayError and
 *    InputValidationError, which the adapter's one boundary (nodes/n8n/errors.ts, toN8nError) turns into
 *    NodeApiError / NodeOperationError with the item index (test/leakproof/n8n-temporary-session.test.ts, test/n8n/session-nodes.test.ts).
 * 3. `node-connection-type-literal`: the connection type is the literal 'main' because the supported
 *    floor, n8n 1.49, has no `NodeConnectionTypes` export (it came with n8n 1.88); the value is the same.
 * 4. `no-forbidden-lifecycle-scripts` for `prepare`: it builds a git checkout so that `npx agentbay-local`
 *    works after `npm install` in a clone; npm never runs it when the published package is installed.
 * 5. List Sessions' and List Contexts' Limit is the service's page size (MaxResults, 10 by default as the SDK), which Return
 *    All also pages by, not n8n's "max number of results" with default 50; its texts say so, and a new
 *    default would change what saved workflows do (n8n does not store default values).
 */
const httpStack = [
  'nodes/core/client/transport.ts',
  'nodes/core/client/proxy-tunnel.ts',
  'nodes/core/client/proxy.ts',
  'nodes/core/client/client.ts',
  'nodes/core/client/rpc-encoding.ts',
  'nodes/core/catalogue/validation.ts',
  // Extract from Page compiles the caller's JSON Schema with ajv before any request.
  'nodes/core/catalogue/operations/extract-from-page.ts',
];
const exceptions = [
  {
    files: httpStack,
    rules: { '@n8n/community-nodes/no-restricted-imports': 'off', '@n8n/community-nodes/no-restricted-globals': 'off' },
  },
  { files: ['package.json'], rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' } },
  { files: ['nodes/core/**/*.ts'], rules: { '@n8n/community-nodes/require-node-api-error': 'off' } },
  { files: ['nodes/AgentBay*/**/*.ts'], rules: { '@n8n/community-nodes/node-connection-type-literal': 'off' } },
  {
    files: ['nodes/AgentBayListSessions/AgentBayListSessions.node.ts', 'nodes/AgentBayListContexts/AgentBayListContexts.node.ts'],
    rules: {
      'n8n-nodes-base/node-param-default-wrong-for-limit': 'off',
      'n8n-nodes-base/node-param-description-wrong-for-limit': 'off',
      'n8n-nodes-base/node-param-description-wrong-for-return-all': 'off',
    },
  },
  // The rule has no allow-list; test/package/package-shape.test.ts refuses every other lifecycle script.
  { files: ['package.json'], rules: { '@n8n/community-nodes/no-forbidden-lifecycle-scripts': 'off' } },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.n8n-e2e*/**', '.n8n-lint/**', '.node-red-versions/**', '**/*.js', '**/*.mjs'] },
  ...[js.configs.recommended, ...tseslint.configs.recommended].map((entry) => ({ ...entry, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
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
  ...n8nScoped,
  ...exceptions,
);
