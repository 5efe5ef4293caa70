/**
 * Write File (binary) against a scripted service that offers format: "binary" but ignores it: the size check.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { failure, run, toolText } from '../../../../support/scripted-service';

describe('Write File (scripted answers)', () => {
  describe('Write File (binary) against a service that offers format: "binary" but ignores it', () => {
    // The tool list advertises the extension, so Write File uses write_file rather than the file-transfer context.
    const offersBinary = JSON.stringify([{ name: 'write_file', server: 'wuying_filesystem', inputSchema: { type: 'object', properties: { format: { type: 'string', enum: ['text', 'binary'] } } } }]);
    const fileInfo = (size: number) => toolText(`name: a.bin\npath: /home/wuying/a.bin\nsize: ${size}\nisDirectory: false\nmodTime: 2026-01-01T00:00:00Z\nmode: -rw-r--r--`);
    const content = Buffer.from([0, 1, 2, 250, 251, 252]);

    it('fails when the stored size shows the base64 text was written instead of the bytes', async () => {
      const base64Length = content.toString('base64').length;
      const error = await failure('writeFile', { CallMcpTool: [(params) => (params.get('Name') === 'write_file' ? toolText('ok') : fileInfo(base64Length))] }, { path: '/home/wuying/a.bin', content }, offersBinary);
      assert.ok(error instanceof AgentBayError);
      assert.equal((error as AgentBayError).code, 'BinaryWriteUnsupported');
      assert.match(error.message, /has 8 bytes instead of 6 \(it stored the base64 text\)/);
    });

    it('passes when the size matches, and counts the existing size when appending', async () => {
      const written = await run('writeFile', { CallMcpTool: [(params) => (params.get('Name') === 'write_file' ? toolText('ok') : fileInfo(6))] }, { path: '/home/wuying/a.bin', content }, offersBinary);
      assert.equal(written.json.bytesWritten, 6);
      const sizes = [fileInfo(10), fileInfo(16)];
      const appended = await run('writeFile', { CallMcpTool: [(params) => (params.get('Name') === 'write_file' ? toolText('ok') : sizes.shift()!)] }, { path: '/home/wuying/a.bin', content, mode: 'append' }, offersBinary);
      assert.equal(appended.json.mode, 'append');
      assert.deepEqual(appended.transport.sent.map((entry) => entry.params.get('Name')), ['get_file_info', 'write_file', 'get_file_info']);
    });
  });
});
