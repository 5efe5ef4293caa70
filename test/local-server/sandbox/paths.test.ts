import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { errText, harness, MODES, okText, shell, type Harness } from '../../support/sandbox';

for (const mode of MODES) {
  describe(`sandbox paths (${mode})`, function () {
    let h: Harness;
    before(async () => {
      h = await harness(mode);
    });
    after(async () => h.cleanup());

    const DENIED = /^Access denied: path is outside the session: /;

    it('maps relative, ~ and absolute virtual paths into the session directory', async () => {
      okText(await h.ws.callTool('write_file', { path: 'rel.txt', content: 'r' }));
      okText(await h.ws.callTool('write_file', { path: '~/tilde.txt', content: 't' }));
      okText(await h.ws.callTool('write_file', { path: '/tmp/t.txt', content: 'x' }));
      assert.equal(readFileSync(path.join(h.ws.rootDir, 'home/wuying/rel.txt'), 'utf8'), 'r');
      assert.equal(readFileSync(path.join(h.ws.rootDir, 'home/wuying/tilde.txt'), 'utf8'), 't');
      assert.equal(readFileSync(path.join(h.ws.rootDir, 'tmp/t.txt'), 'utf8'), 'x');
      assert.equal(okText(await h.ws.callTool('read_file', { path: '/home/wuying/rel.txt' })), 'r');
    });

    for (const bad of ['/etc/passwd', '../../etc/passwd', '/home/wuying/../../etc/passwd', '/home/other/x', '/', '/tmp/../etc/hosts']) {
      it(`refuses ${bad}`, async () => {
        const msg = errText(await h.ws.callTool('read_file', { path: bad }));
        assert.match(msg, DENIED);
        assert.ok(msg.endsWith(bad), msg);
      });
    }

    it('refuses to write or list outside, and does not create anything there', async () => {
      const target = `/etc/agentbay-escape-${process.pid}`;
      assert.match(errText(await h.ws.callTool('write_file', { path: `../..${target}`, content: 'x' })), DENIED);
      assert.equal(existsSync(target), false);
      assert.match(errText(await h.ws.callTool('list_directory', { path: '/etc' })), DENIED);
      assert.match(errText(await h.ws.callTool('create_directory', { path: '/opt/agentbay-escape' })), DENIED);
      assert.equal(existsSync('/opt/agentbay-escape'), false);
    });

    it('refuses symlinks made by a command that lead outside (file, directory, relative)', async () => {
      await shell(h.ws, 'ln -s /etc/passwd pw && ln -s /etc etcdir && ln -s ../../../../../../etc/hostname rel');
      assert.match(errText(await h.ws.callTool('read_file', { path: 'pw' })), DENIED);
      assert.match(errText(await h.ws.callTool('read_file', { path: 'etcdir/passwd' })), DENIED);
      assert.match(errText(await h.ws.callTool('list_directory', { path: 'etcdir' })), DENIED);
      assert.match(errText(await h.ws.callTool('read_file', { path: 'rel' })), DENIED);
      assert.match(errText(await h.ws.callTool('write_file', { path: 'pw', content: 'owned' })), DENIED);
      assert.match(errText(await h.ws.callTool('get_file_info', { path: 'etcdir' })), DENIED);
      assert.match(okText(await h.ws.callTool('read_multiple_files', { paths: ['pw'] })), /^pw: Error - Access denied: path is outside the session: pw$/);
      // The link itself lives inside the session and may be deleted (without touching its target).
      okText(await h.ws.callTool('delete_file', { path: 'pw' }));
      assert.ok(existsSync('/etc/passwd'));
    });

    it('follows symlinks that stay inside the session, using the session view of absolute targets', async () => {
      okText(await h.ws.callTool('write_file', { path: '/tmp/inside.txt', content: 'in' }));
      // In bubblewrap mode the command sees /tmp; in process mode it sees the host path.
      await shell(h.ws, 'ln -s "$TMPDIR/inside.txt" good');
      assert.equal(okText(await h.ws.callTool('read_file', { path: 'good' })), 'in');
    });

    it('refuses a shell cwd outside the session', async () => {
      assert.match(errText(await h.ws.callTool('shell', { command: 'pwd', cwd: '/etc' })), DENIED);
    });
  });
}
