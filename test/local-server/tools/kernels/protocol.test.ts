/**
 * The kernel protocol's stream splitting (tokens cut anywhere by chunking, output caps, reply
 * size limit), the clear error for a language that is not installed, and the server's report of
 * its languages.
 */
import assert from 'node:assert/strict';
import { describeLanguages, kernelLaunch } from '../../../../local-server/tools/kernels/languages';
import { MAX_REPLY_BYTES, parseReply, TokenSplitter } from '../../../../local-server/tools/kernels/protocol';
import type { ToolContext } from '../../../../local-server/tools/context';
import { startLocalServer } from '../../../../local-server/server';

const TOKEN = '0123456789abcdef0123456789abcdef';

function splitter(withReply: boolean, cap = 1024): { s: TokenSplitter; messages: [string, boolean, string][]; overflowed: () => boolean } {
  const messages: [string, boolean, string][] = [];
  let overflow = false;
  const s = new TokenSplitter(Buffer.from(TOKEN), withReply, cap, (o, t, r) => messages.push([o, t, r]), () => {
    overflow = true;
  });
  return { s, messages, overflowed: () => overflow };
}

describe('kernel protocol', () => {
  it('finds the token and the reply line however the stream is chunked', () => {
    const stream = Buffer.from(`out 1\nout 2${TOKEN}{"results":[],"error":""}\nnext cell${TOKEN}{"error":"E"}\n`);
    for (let size = 1; size <= stream.length; size += 7) {
      const { s, messages } = splitter(true);
      for (let i = 0; i < stream.length; i += size) s.push(stream.subarray(i, i + size));
      assert.deepEqual(messages, [
        ['out 1\nout 2', false, '{"results":[],"error":""}'],
        ['next cell', false, '{"error":"E"}'],
      ], `chunks of ${size}`);
    }
  });

  it('a stream without reply (stderr) ends at each token; a partial token is not output', () => {
    const { s, messages } = splitter(false);
    s.push(Buffer.from(`warning\n${TOKEN.slice(0, 10)}`));
    assert.deepEqual(messages, []);
    s.push(Buffer.from(`${TOKEN.slice(10)}late`));
    assert.deepEqual(messages, [['warning\n', false, '']]);
    assert.equal(s.drain(), 'late');
  });

  it('caps a cell\'s output and says it was cut, and gives up on an endless reply line', () => {
    const { s, messages } = splitter(true, 8);
    s.push(Buffer.from(`0123456789${TOKEN}{}\n`));
    assert.deepEqual(messages, [['01234567', true, '{}']]);
    const big = splitter(true);
    big.s.push(Buffer.from(TOKEN));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    for (let sent = 0; sent <= MAX_REPLY_BYTES && !big.overflowed(); sent += chunk.length) big.s.push(chunk);
    assert.equal(big.overflowed(), true);
  });

  it('reads replies defensively: non-objects, missing fields and non-object results', () => {
    assert.equal(parseReply('not json'), null);
    assert.equal(parseReply('[1]'), null);
    assert.deepEqual(parseReply('{"results":[1,{"text/plain":"x"},[2]],"error":5}'), { results: [{ 'text/plain': 'x' }], error: '' });
    assert.deepEqual(parseReply('{"ready":true,"version":"3.11"}'), { ready: true, version: '3.11', results: [], error: '' });
  });
});

describe('run_code languages', () => {
  const bare = { isolation: { hasExecutable: () => false } } as unknown as ToolContext;

  it('a language that is not installed gives an error naming what to install', async () => {
    assert.equal(await kernelLaunch('r', bare), 'R is not installed on this local server (Debian package r-base-core)');
    assert.match(String(await kernelLaunch('java', bare)), /^Java is not installed on this local server \(a JDK with jshell/);
  });

  it('the server reports its languages (the banner line), with the Python packages for rich outputs', async function () {
    this.timeout(30000);
    const server = await startLocalServer({ port: 0 });
    try {
      assert.equal(server.codeLanguages, describeLanguages());
      assert.match(server.codeLanguages, /^python \(\/usr\/bin\/python3; numpy, pandas, matplotlib, IPython\), javascript, java \(jshell\), r/);
    } finally {
      await server.close();
    }
  });
});
