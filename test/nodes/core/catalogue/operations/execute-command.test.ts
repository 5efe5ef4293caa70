/**
 * Execute Command against the local server through the runtime-neutral core: result shape,
 * non-zero exits as data or as errors, environment and working directory, timeouts that return
 * and leave no process behind.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { livePidsWith, uniqueSleepSeconds, useCoreSession } from '../../../../support/core-session';
import { waitFor } from '../../../../support/wait';

describe('Execute Command (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

    it('returns stdout, stderr, exitCode, output and success', async () => {
      const { output } = await run('executeCommand', { command: 'echo out; echo err >&2' });
      assert.deepEqual(output.json, {
        stdout: 'out\n',
        stderr: 'err\n',
        exitCode: 0,
        output: 'out\nerr\n',
        success: true,
        requestId: output.json.requestId,
      });
      assert.match(String(output.json.requestId), /\S/);
      assert.equal(output.session, undefined, 'the session on the message is kept');
    });

    it('returns a non-zero exit as data by default', async () => {
      const { output } = await run('executeCommand', { command: 'echo oops >&2; exit 3' });
      assert.equal(output.json.exitCode, 3);
      assert.equal(output.json.success, false);
      assert.equal(output.json.stderr, 'oops\n');
    });

    it('with Fail On Non-Zero Exit fails naming the exit code and stderr', async () => {
      const error = await fail('executeCommand', { command: 'echo broken pipe >&2; exit 7', failOnNonZeroExit: true });
      assert.ok(error instanceof AgentBayError);
      assert.equal(error.message, 'Command exited with code 7: broken pipe');
      assert.equal(error.code, 'CommandFailed');
    });

    it('passes the working directory and environment variables', async () => {
      await run('createDirectory', { path: '/home/wuying/work' });
      const { output } = await run('executeCommand', {
        command: 'pwd; echo "$GREETING $WHO"',
        workingDirectory: '/home/wuying/work',
        environment: '{"GREETING":"hello","WHO":"flow"}',
      });
      assert.equal(output.json.stdout, '/home/wuying/work\nhello flow\n');
    });

    it('a missing working directory is the tool’s error', async () => {
      const error = await fail('executeCommand', { command: 'pwd', workingDirectory: '/home/wuying/does-not-exist' });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /No such file or directory: \/home\/wuying\/does-not-exist/);
    });

    it('refuses bad input before any request, naming the field', async () => {
      const timeout = await fail('executeCommand', { command: 'true', timeoutMs: 999999 });
      assert.ok(timeout instanceof InputValidationError);
      assert.equal(timeout.field, 'timeoutMs');
      assert.match(timeout.message, /^Timeout \(Milliseconds\) \(timeoutMs\) must be <= 50000: expected a whole number of milliseconds from 1 to 50000/);

      const environment = await fail('executeCommand', { command: 'true', environment: { A: 1 } });
      assert.ok(environment instanceof InputValidationError);
      assert.equal(environment.field, 'environment');
      assert.equal(
        environment.message,
        "Environment (environment): Invalid environment variables: all keys and values must be strings. Found invalid entries: value for key 'A' (type: number)",
      );

      const empty = await fail('executeCommand', { command: '' });
      assert.ok(empty instanceof InputValidationError);
      assert.equal(empty.field, 'command');
    });

    it('a timeout returns (not hangs) with a non-zero exit, says so on stderr, and leaves no process behind', async () => {
      const marker = uniqueSleepSeconds(30);
      const pending = run('executeCommand', { command: `sleep ${marker} & sleep ${marker}; echo never`, timeoutMs: 1000 });
      // Positive control: while the command runs, the scan does find both sleeps.
      let finished = false;
      void pending.then(() => (finished = true), () => (finished = true));
      let seen = 0;
      await waitFor(
        () => {
          seen = Math.max(seen, livePidsWith(marker).length);
          return finished;
        },
        30_000,
        'the command to time out',
        50,
      );
      assert.ok(seen >= 2, `the scan saw the command's processes while it ran (${seen})`);
      const { output } = await pending;
      assert.equal(output.json.exitCode, 124);
      assert.equal(output.json.success, false);
      assert.match(String(output.json.stderr), /timed out/i);
      assert.doesNotMatch(String(output.json.stdout), /never/);
      assert.deepEqual(livePidsWith(marker), [], 'no sleep survives the timeout');
    });

    it('a timeout with Fail On Non-Zero Exit is an error naming the exit code', async () => {
      const marker = uniqueSleepSeconds(30);
      const error = await fail('executeCommand', { command: `sleep ${marker}`, timeoutMs: 500, failOnNonZeroExit: true });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /^Command exited with code 124: .*timed out/);
      assert.deepEqual(livePidsWith(marker), []);
    });
});
