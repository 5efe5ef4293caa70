/**
 * Pause Session and Resume Session (operations/pause-resume.ts) against scripted answers the
 * local server never gives: stuck in PAUSING, unexpected states, timeouts, with a fake clock.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { failure, notFound, ok, run, SESSION_ID, status } from '../../../../support/scripted-service';

describe('Pause Session / Resume Session (scripted answers)', () => {
  describe('Pause Session / Resume Session', () => {
    it('pause polls GetSession at the default 2 s interval through PAUSING until PAUSED', async () => {
      const result = await run('pauseSession', {
        PauseSessionAsync: [ok()],
        GetSession: [status('PAUSING'), status('PAUSING'), status('PAUSED')],
      });
      assert.deepEqual(result.json, { sessionId: SESSION_ID, status: 'PAUSED', requestId: 'REQ-1' });
      assert.deepEqual(result.transport.actions(), ['PauseSessionAsync', 'GetSession', 'GetSession', 'GetSession']);
      assert.equal(result.transport.sent[0].params.get('SessionId'), SESSION_ID);
      assert.deepEqual(result.clock.sleeps, [2000, 2000]);
      assert.equal(result.progress[0], 'pausing');
      assert.ok(result.progress.some((text) => text.startsWith('waiting for session pause')), result.progress.join(' | '));
    });

    it('resume honours pollIntervalS and ends at RUNNING', async () => {
      const result = await run(
        'resumeSession',
        { ResumeSessionAsync: [ok()], GetSession: [status('RESUMING'), status('RUNNING')] },
        { pollIntervalS: 0.5 },
      );
      assert.equal(result.json.status, 'RUNNING');
      assert.deepEqual(result.clock.sleeps, [500]);
    });

    it('an unexpected state fails with the SDK text and the elapsed time', async () => {
      const error = await failure('pauseSession', {
        PauseSessionAsync: [ok()],
        GetSession: [status('PAUSING'), status('RUNNING')],
      });
      assert.ok(error instanceof AgentBayError);
      assert.equal(error.message, "Session pause failed: unexpected state 'RUNNING' after 2000ms");
    });

    it('resume seeing PAUSED again (not RESUMING) is unexpected too', async () => {
      const error = await failure('resumeSession', { ResumeSessionAsync: [ok()], GetSession: [status('PAUSED')] });
      assert.equal(error.message, "Session resume failed: unexpected state 'PAUSED' after 0ms");
    });

    it('times out after waitTimeoutS with the SDK text, without sleeping past the timeout', async () => {
      const error = await failure(
        'resumeSession',
        { ResumeSessionAsync: [ok()], GetSession: [status('RESUMING')] },
        { waitTimeoutS: 5 },
      );
      assert.equal(error.message, 'Session resume timed out after 4000ms');
      assert.equal((error as unknown as AgentBayError).code, 'WaitTimeout');
      assert.deepEqual(error.clock.sleeps, [2000, 2000]);
    });

    it('Success:false without a code gives "[Unknown] <Message>" and no polling', async () => {
      const error = await failure('pauseSession', {
        PauseSessionAsync: [{ Success: false, Code: '', Message: 'quota exceeded', HttpStatusCode: 200 }],
      });
      assert.equal(error.message, '[Unknown] quota exceeded');
      assert.deepEqual(error.transport.actions(), ['PauseSessionAsync']);
    });

    it('an API error keeps the client\'s "[Code] Message"', async () => {
      const error = await failure('pauseSession', {
        PauseSessionAsync: [{ Success: false, Code: 'InvalidSessionStatus', Message: 'Session is PAUSED', HttpStatusCode: 400 }],
      });
      assert.equal(error.message, '[InvalidSessionStatus] Session is PAUSED');
    });

    it('a session gone while waiting fails with "Failed to get session status: Session <id> not found"', async () => {
      const error = await failure('pauseSession', { PauseSessionAsync: [ok()], GetSession: [status('PAUSING'), notFound()] });
      assert.equal(error.message, `Failed to get session status: Session ${SESSION_ID} not found`);
      assert.equal((error as unknown as AgentBayError).code, 'InvalidMcpSession.NotFound');
    });

    it('with wait off it returns PAUSING after the one request', async () => {
      const result = await run('pauseSession', { PauseSessionAsync: [ok()] }, { wait: false });
      assert.deepEqual(result.json, { sessionId: SESSION_ID, status: 'PAUSING', requestId: 'REQ-1' });
      assert.deepEqual(result.transport.actions(), ['PauseSessionAsync']);
    });

    it('rejects a poll interval of 0 before any request', async () => {
      const error = await failure('pauseSession', { PauseSessionAsync: [ok()] }, { pollIntervalS: 0 });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Poll Interval \(Seconds\) \(pollIntervalS\) /);
    });
  });
});
