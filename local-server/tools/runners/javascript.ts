/**
 * The JavaScript kernel, run as `node -e JAVASCRIPT_KERNEL <token>`. Embedded as a string so it
 * ships inside dist/ with no copy step. Protocol: see tools/kernels/protocol.ts.
 *
 * Each cell is evaluated through the in-process inspector (`Runtime.evaluate` with `replMode`),
 * the mechanism behind the browser's console: top-level `let`/`const`/`class` persist between
 * cells *and* may be declared again (`const fs = require('fs')` in two cells works), top-level
 * `await` works, and the cell's timeout terminates a busy loop without killing the kernel.
 * The completion value of the cell is the main result (a Promise is awaited); `display(v)` adds
 * others. The kernel's own code lives in a function scope, so no name of it collides with the
 * user's.
 */
export const JAVASCRIPT_KERNEL = String.raw`
(function () {
  'use strict';
  const path = require('path');
  const util = require('util');
  const inspector = require('inspector');
  const { createRequire } = require('module');

  const TOKEN = process.argv[process.argv.length - 1];
  const STORE = '__agentbayKernelStore_' + TOKEN.slice(0, 8);
  const session = new inspector.Session();
  session.connect();

  let results = [];
  let current = null; // { id, finished }
  let cellId = 0;

  function bundle(value, main) {
    const data = { 'text/plain': util.inspect(value, { depth: 6, maxArrayLength: 500 }) };
    if (value !== null && typeof value === 'object') {
      const proto = Object.getPrototypeOf(value);
      if (Array.isArray(value) || proto === Object.prototype || proto === null) {
        try {
          const json = JSON.stringify(value);
          if (json !== undefined) data['application/json'] = JSON.parse(json);
        } catch (e) { /* cyclic or BigInt: text/plain only */ }
      }
    }
    if (main) data.isMainResult = true;
    return data;
  }

  function formatError(e) {
    if (e !== null && typeof e === 'object' && typeof e.name === 'string' && 'message' in e) {
      // The user's frames only: not Node's internals, not the kernel's ([eval] is node -e).
      const frames = String(e.stack || '').split('\n').filter((l) => /^\s+at /.test(l) && !/node:|\[eval\]/.test(l));
      return [e.name + ': ' + e.message, ...frames].join('\n');
    }
    return 'Uncaught ' + util.inspect(e);
  }

  // Cells reach real values through this function: the inspector hands back remote references.
  let stored;
  Object.defineProperty(globalThis, STORE, { value: (v) => { stored = v; }, enumerable: false });
  globalThis.require = createRequire(path.join(process.cwd(), '<cell>'));
  globalThis.module = { exports: {} };
  globalThis.exports = globalThis.module.exports;
  globalThis.display = (...values) => { for (const v of values) results.push(bundle(v, false)); };

  function fetchValue(remote, done) {
    const arg = remote.objectId !== undefined ? { objectId: remote.objectId }
      : remote.unserializableValue !== undefined ? { unserializableValue: remote.unserializableValue }
      : { value: remote.value };
    if (remote.type === 'undefined') { done(undefined); return; }
    session.post('Runtime.callFunctionOn', {
      functionDeclaration: 'function (v) { globalThis[' + JSON.stringify(STORE) + '](v); }',
      objectId: globalId,
      arguments: [arg],
    }, () => { session.post('Runtime.releaseObjectGroup', { objectGroup: 'cell' }, () => undefined); done(stored); });
  }

  function finish(cell, error) {
    if (cell.finished) return;
    cell.finished = true;
    current = null;
    // The token ends the cell's output on both streams; the reply follows it on stdout.
    process.stderr.write(TOKEN);
    process.stdout.write(TOKEN + JSON.stringify({ results, error }) + '\n');
    results = [];
    readNext();
  }

  function run(code, timeoutMs) {
    const cell = { id: ++cellId, finished: false };
    current = cell;
    const params = { expression: code, replMode: true, awaitPromise: true, objectGroup: 'cell', includeCommandLineAPI: false };
    if (timeoutMs > 0) params.timeout = timeoutMs;
    session.post('Runtime.evaluate', params, (err, res) => {
      if (cell.finished) return;
      if (err) { finish(cell, /terminated/i.test(err.message) ? 'TimeoutError: execution was interrupted' : 'KernelError: ' + err.message); return; }
      if (res.exceptionDetails) {
        const ex = res.exceptionDetails.exception;
        if (!ex) { finish(cell, res.exceptionDetails.text || 'Error'); return; }
        fetchValue(ex, (e) => finish(cell, formatError(e)));
        return;
      }
      fetchValue(res.result, (v) => {
        const settle = (value) => {
          if (value !== undefined) results.push(bundle(value, true));
          finish(cell, '');
        };
        // A Promise as the cell's value is awaited, as a notebook shows its outcome.
        if (v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function') {
          Promise.resolve(v).then(settle, (e) => finish(cell, formatError(e)));
        } else {
          settle(v);
        }
      });
    });
  }

  // An interrupt while a cell waits on a Promise: the cell ends; its late settlement is ignored.
  process.on('SIGINT', () => { if (current) finish(current, 'KeyboardInterrupt: execution was interrupted'); });
  process.on('uncaughtException', (e) => { process.stderr.write('Uncaught ' + formatError(e) + '\n'); });
  process.on('unhandledRejection', (e) => { process.stderr.write('Unhandled rejection: ' + formatError(e) + '\n'); });

  let pending = '';
  const lines = [];
  let waiting = false;
  function readNext() { waiting = true; drain(); }
  function drain() {
    if (!waiting) return;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl + 1);
      pending = pending.slice(nl + 1);
      if (line.startsWith(TOKEN + ' ')) {
        let code = lines.join('');
        lines.length = 0;
        if (code.endsWith('\n')) code = code.slice(0, -1);
        waiting = false;
        run(code, Number(line.slice(TOKEN.length + 1)) || 0);
        return;
      }
      lines.push(line);
    }
  }
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { pending += chunk; drain(); });
  process.stdin.on('end', () => process.exit(0));
  let globalId;
  session.post('Runtime.evaluate', { expression: 'globalThis', objectGroup: 'kernel' }, (err, res) => {
    globalId = res.result.objectId;
    process.stderr.write(TOKEN);
    process.stdout.write(TOKEN + JSON.stringify({ ready: true, version: process.version }) + '\n');
    readNext();
  });
})();
`;
