/**
 * Child process for the n8n-workflow floor test: loads every n8n entry package.json lists (the
 * credential and each node) the way n8n's loader does — require the file, instantiate the class
 * named after it — with `n8n-workflow` resolved to the package named in argv[2] (an older
 * n8n-workflow installed under another name), then maps one API error and one input error through
 * that n8n-workflow's error classes. Prints one JSON line. A separate process, because the
 * redirection must not reach the mocha process's module cache.
 */
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const substitute = process.argv[2];

const internals = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolveFilename = internals._resolveFilename;
internals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  const redirected = request === 'n8n-workflow' || request.startsWith('n8n-workflow/') ? substitute + request.slice('n8n-workflow'.length) : request;
  return resolveFilename.call(this, redirected, ...rest);
};

/* eslint-disable @typescript-eslint/no-require-imports -- loaded after the redirection, as n8n loads them */
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[]; nodes: string[] } };
const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((file) => {
  const exported = require(join(ROOT, file)) as Record<string, new () => { name?: string; description?: { name: string; inputs: unknown; outputs: unknown } }>;
  const instance = new exported[basename(file).replace(/\.(node|credentials)\.js$/, '')]();
  return { file, name: instance.description?.name ?? instance.name, inputs: instance.description?.inputs, outputs: instance.description?.outputs };
});
const { toN8nError } = require(join(ROOT, 'dist', 'nodes', 'n8n', 'errors.js')) as typeof import('../../nodes/n8n/errors');
const { AgentBayError, InputValidationError } = require(join(ROOT, 'dist', 'nodes', 'core', 'client', 'errors.js')) as typeof import('../../nodes/core/client/errors');
const { runningN8nWorkflowVersion } = require(join(ROOT, 'dist', 'nodes', 'n8n', 'supported-version.js')) as typeof import('../../nodes/n8n/supported-version');
/* eslint-enable @typescript-eslint/no-require-imports */

const node = { id: 'n1', name: 'AgentBay Get Session', type: 'n8n-nodes-agentbay.agentBayGetSession', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as Parameters<typeof toN8nError>[0];
const errors = [
  toN8nError(node, new AgentBayError('Failed to get session s: Session s not found', { code: 'InvalidMcpSession.NotFound', httpStatus: 400 }), 2),
  toN8nError(node, new InputValidationError('Session ID', 'a session ID'), 3),
].map((error) => ({ class: error.constructor.name, message: error.message, itemIndex: error.context.itemIndex }));

process.stdout.write(`${JSON.stringify({ n8nWorkflow: runningN8nWorkflowVersion(), entries, errors })}\n`);
