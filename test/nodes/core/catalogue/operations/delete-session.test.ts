/**
 * Delete Session against scripted answers: Sync Context polling, errors, a session already gone.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError } from '../../../../../nodes/core/client/errors';
import { failure, notFound, ok, run, SESSION_ID } from '../../../../support/scripted-service';

describe('Delete Session (scripted answers)', () => {
  describe('Delete Session: Sync Context and errors', () => {
    const contextStatus = (...tasks: Array<{ status: string; taskType: string }>) =>
      ok({ ContextStatus: JSON.stringify([{ type: 'data', data: JSON.stringify(tasks.map((task) => ({ contextId: 'ctx', path: '/data', errorMessage: '', ...task }))) }]) });

    it('uploads, then polls GetContextInfo every 1.5 s until the upload is settled, then deletes', async () => {
      const result = await run(
        'deleteSession',
        {
          SyncContext: [ok()],
          // An unrelated task type never holds the wait; the in-progress upload does.
          GetContextInfo: [contextStatus({ status: 'InProgress', taskType: 'upload' }, { status: 'Running', taskType: 'other' }), contextStatus({ status: 'Success', taskType: 'upload' }, { status: 'Running', taskType: 'other' })],
          DeleteSessionAsync: [ok()],
          GetSessionDetail: [notFound()],
        },
        { syncContext: true },
      );
      assert.deepEqual(result.transport.actions(), ['SyncContext', 'GetContextInfo', 'GetContextInfo', 'DeleteSessionAsync', 'GetSessionDetail']);
      assert.equal(result.transport.sent[0].params.get('Mode'), null, 'SyncContext carries no Mode, as the SDK sends it');
      assert.deepEqual(result.clock.sleeps, [1500]);
      assert.ok(result.progress.includes('waiting for context sync (1/150)'), JSON.stringify(result.progress));
      assert.equal(result.json.deleted, true);
    });

    it('a failing GetContextInfo ends the wait and the deletion goes on', async () => {
      const result = await run(
        'deleteSession',
        { SyncContext: [ok()], GetContextInfo: [{ Success: false, Code: 'InternalError', Message: 'boom', HttpStatusCode: 500 }], DeleteSessionAsync: [ok()], GetSessionDetail: [notFound()] },
        { syncContext: true },
      );
      assert.deepEqual(result.transport.actions(), ['SyncContext', 'GetContextInfo', 'DeleteSessionAsync', 'GetSessionDetail']);
    });

    it('a session already gone is reported as such, and with Error If No Session fails with "Failed to delete session <id>: Session <id> not found"', async () => {
      const gone = await run('deleteSession', { DeleteSessionAsync: [notFound()] });
      assert.equal(gone.json.deleted, true);
      assert.equal(gone.json.alreadyGone, true);
      const error = await failure('deleteSession', { DeleteSessionAsync: [notFound()] }, { errorIfNoSession: true });
      assert.ok(error instanceof AgentBayError);
      assert.equal(error.message, `Failed to delete session ${SESSION_ID}: Session ${SESSION_ID} not found`);
      assert.equal(error.code, 'InvalidMcpSession.NotFound');
    });
  });
});
