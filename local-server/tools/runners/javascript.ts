/**
 * JavaScript runner, run as `node -e JAVASCRIPT_RUNNER` with the user's code on stdin.
 * Embedded as a string so it ships inside dist/ with no copy step.
 *
 * The code runs as a vm.Script in the main context, so the completion value of its last
 * expression statement is the main result (a returned Promise is awaited). Results go to fd 3
 * as `{"results": [...], "error": ""}`, written on process exit so late async output still counts.
 */
export const JAVASCRIPT_RUNNER = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const vm = require('vm');
const { createRequire } = require('module');

const results = [];
let error = '';
let written = false;

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

function display(...values) {
  for (const v of values) results.push(bundle(v, false));
}

function formatError(e) {
  if (e !== null && typeof e === 'object' && typeof e.name === 'string' && 'message' in e) {
    const frames = String(e.stack || '').split('\n').filter((l) => /^\s+at /.test(l) && l.includes('<cell>'));
    return [e.name + ': ' + e.message, ...frames].join('\n');
  }
  return 'Uncaught: ' + util.inspect(e);
}

function flush() {
  if (written) return;
  written = true;
  try { fs.writeSync(3, JSON.stringify({ results, error })); } catch (e) { /* channel closed */ }
}

function fatal(e) {
  if (!error) error = formatError(e);
  process.exitCode = 1;
  flush();
  process.exit(1);
}

process.on('exit', flush);
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

const code = fs.readFileSync(0, 'utf8');
globalThis.require = createRequire(path.join(process.cwd(), '<cell>'));
globalThis.module = { exports: {} };
globalThis.exports = globalThis.module.exports;
globalThis.display = display;

let value;
try {
  value = new vm.Script(code, { filename: '<cell>' }).runInThisContext();
} catch (e) {
  error = formatError(e);
  process.exitCode = 1;
}
if (!error && value !== undefined) {
  if (value !== null && typeof value.then === 'function') {
    value.then(
      (v) => { if (v !== undefined) results.push(bundle(v, true)); },
      (e) => { error = formatError(e); process.exitCode = 1; },
    );
  } else {
    results.push(bundle(value, true));
  }
}
`;
