/**
 * Execute Command and Run Code against the local server through the runtime-neutral core:
 * result shapes, non-zero exits as data or as errors, environment and working directory,
 * timeouts that return and leave no process behind, notebook-style results and images.
 */
import { strict as assert } from 'node:assert';
import { parseRunCodeText } from '../../nodes/core/catalogue/run-code-results';
import { AgentBayError, InputValidationError } from '../../nodes/core/client/errors';
import { waitFor } from '../local-server/helpers';
import { livePidsWith, PNG_MAGIC, PYTHON_PNG_CODE, uniqueSleepSeconds, useCoreSession } from './helpers';

describe('Execute Command and Run Code (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

  describe('Execute Command', () => {
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
      while (!finished) {
        seen = Math.max(seen, livePidsWith(marker).length);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
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

  describe('Run Code', () => {
    it('Python: the last expression is the main result, printed output is stdout', async () => {
      const { output } = await run('runCode', { language: 'python', code: 'print("hi")\nx = 6\nx * 7' });
      assert.equal(output.json.result, '42');
      assert.equal(output.json.stdout, 'hi\n');
      assert.equal(output.json.stderr, '');
      assert.equal(output.json.success, true);
      assert.equal(output.json.executionError, '');
      assert.equal(output.json.language, 'python');
      assert.deepEqual(output.json.results, [{ mimeTypes: ['text/plain'], isMainResult: true, text: '42' }]);
      assert.equal(typeof output.json.executionCount, 'number');
      assert.equal(typeof output.json.executionTime, 'number');
      assert.equal(output.binary, undefined);
    });

    it('Python without a final expression: result is the printed output', async () => {
      const { output } = await run('runCode', { language: 'py', code: 'print("only printed")' });
      assert.equal(output.json.result, 'only printed\n');
      assert.deepEqual(output.json.results, []);
    });

    it('Python: an object with _repr_png_ gives a PNG binary referenced by imageKey', async () => {
      const { output } = await run('runCode', { language: 'python', code: PYTHON_PNG_CODE });
      assert.equal(output.json.result, 'Dot()');
      const results = output.json.results as Array<Record<string, unknown>>;
      assert.equal(results.length, 1);
      assert.deepEqual(results[0].mimeTypes, ['text/plain', 'image/png']);
      assert.equal(results[0].imageKey, 'image');
      const [image] = output.binary ?? [];
      assert.equal(image.key, 'image');
      assert.equal(image.mimeType, 'image/png');
      assert.equal(image.fileName, 'result-0.png');
      assert.deepEqual(image.data.subarray(0, 8), PNG_MAGIC);
    });

    it('JavaScript (alias " NodeJS "): the completion value is the main result', async () => {
      const { output } = await run('runCode', { language: ' NodeJS ', code: 'console.log("log line");\nconst a = [1, 2, 3];\na.map((n) => n * 2).join("-")' });
      assert.equal(output.json.language, 'javascript');
      assert.equal(output.json.success, true);
      assert.match(String(output.json.result), /2-4-6/);
      assert.equal(output.json.stdout, 'log line\n');
    });

    it('Java: printed output is the result when there is no rich result; a compile error is executionError', async () => {
      const ok = await run('runCode', { language: 'Java', code: 'System.out.println(6 * 7);' });
      assert.equal(ok.output.json.language, 'java');
      assert.equal(ok.output.json.stdout, '42\n');
      assert.equal(ok.output.json.result, '42\n');
      assert.equal(ok.output.json.success, true);
      const broken = await run('runCode', { language: 'java', code: 'int x = ;' });
      assert.equal(broken.output.json.success, false);
      assert.match(String(broken.output.json.executionError), /error/i);
    });

    it('an exception is a result with executionError (not a node error) unless Fail On Error is on', async () => {
      const { output } = await run('runCode', { language: 'python', code: 'def f():\n    raise ValueError("bad value")\nf()' });
      assert.equal(output.json.success, false);
      assert.match(String(output.json.executionError), /^ValueError: bad value/);
      assert.match(String(output.json.executionError), /line 2/);

      const error = await fail('runCode', { language: 'python', code: '1/0', failOnError: true });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /^Code execution failed: ZeroDivisionError/);
    });

    it('refuses an unsupported language with the SDK’s message, before any request', async () => {
      const error = await fail('runCode', { language: 'cobol', code: 'DISPLAY "HI".' });
      assert.ok(error instanceof InputValidationError);
      assert.equal(error.field, 'language');
      assert.equal(
        error.message,
        "Language (language): Unsupported language: cobol. Supported languages are 'python', 'javascript', 'r', and 'java'",
      );
      const timeout = await fail('runCode', { code: '1', timeoutS: 0 });
      assert.ok(timeout instanceof InputValidationError);
      assert.equal(timeout.field, 'timeoutS');
    });

    it('a timeout returns with executionError and leaves no process behind', async () => {
      const marker = uniqueSleepSeconds(30);
      const { output } = await run('runCode', {
        language: 'python',
        code: `import subprocess\nsubprocess.Popen(["sleep", "${marker}"])\nimport time\ntime.sleep(30)`,
        timeoutS: 2,
      });
      assert.equal(output.json.success, false);
      assert.match(String(output.json.executionError), /time(d)? ?out/i);
      // The interrupt reaches the cell's child with the kernel's SIGINT; it dies a moment later.
      await waitFor(() => livePidsWith(marker).length === 0, 5000, 'no child of the code to survive the timeout');
    });
  });

  describe('run_code answer parsing', () => {
    it('reads result items given as JSON strings or objects, markdown/html/json/svg, and jpeg images', () => {
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64');
      const run = parseRunCodeText(
        JSON.stringify({
          result: [
            JSON.stringify({ 'text/plain': 'first', 'text/html': '<b>x</b>' }),
            { 'text/markdown': '# t', 'application/json': { a: 1 }, 'image/svg+xml': '<svg/>', 'image/jpeg': jpeg, isMainResult: true },
          ],
          stdout: ['a', 'b'],
          stderr: ['warn'],
          executionError: '',
          execution_count: 3,
          execution_time: 0.5,
        }),
        false,
      );
      assert.equal(run.result, 'first', 'no main item has text, so the first item with text wins');
      assert.equal(run.stdout, 'ab');
      assert.equal(run.stderr, 'warn');
      assert.equal(run.results[0].html, '<b>x</b>');
      assert.equal(run.results[1].markdown, '# t');
      assert.deepEqual(run.results[1].json, { a: 1 });
      assert.equal(run.results[1].svg, '<svg/>');
      assert.equal(run.results[1].imageKey, 'image');
      assert.equal(run.images[0].mimeType, 'image/jpeg');
      assert.equal(run.images[0].fileName, 'result-1.jpg');
      assert.equal(run.executionCount, 3);
      assert.equal(run.executionTime, 0.5);
    });

    it('numbers several images image, image_1, …; plain text is a plain result; isError forces success false', () => {
      const png = PNG_MAGIC.toString('base64');
      const run = parseRunCodeText(JSON.stringify({ result: [{ 'image/png': png }, { 'image/png': png }], stdout: [], stderr: [], executionError: '' }), false);
      assert.deepEqual(run.images.map((image) => image.key), ['image', 'image_1']);
      assert.deepEqual(run.results.map((item) => item.imageKey), ['image', 'image_1']);
      assert.deepEqual(parseRunCodeText('just text', false), {
        result: 'just text', results: [], stdout: '', stderr: '', executionError: '', success: true, images: [],
      });
      assert.equal(parseRunCodeText(JSON.stringify({ result: [], executionError: '' }), true).success, false);
    });

    it('an SVG-only result becomes an SVG file too, and keeps its text', () => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>';
      const run = parseRunCodeText(JSON.stringify({ result: [JSON.stringify({ 'text/plain': '<SVG>', 'image/svg+xml': svg })], executionError: '' }), false);
      assert.equal(run.results[0].svg, svg);
      assert.equal(run.results[0].imageKey, 'image');
      assert.equal(run.images[0].mimeType, 'image/svg+xml');
      assert.equal(run.images[0].fileName, 'result-0.svg');
      assert.equal(run.images[0].data.toString('utf8'), svg);
    });

    it('understands the legacy {logs, results, error} shape', () => {
      const run = parseRunCodeText(
        JSON.stringify({ logs: { stdout: ['x\n'], stderr: [] }, results: [{ text: '5', is_main_result: true }], error: { name: 'E', value: 'v', traceback: 'tb' } }),
        false,
      );
      assert.equal(run.result, '5');
      assert.equal(run.stdout, 'x\n');
      assert.equal(run.executionError, 'E: v\ntb');
      assert.equal(run.success, false);
    });
  });
});
