/**
 * Pause → resume → command, over and over, against the local server with its real sandbox and short
 * transitions: every command right after a resume must run and answer (a lost SIGCONT would leave it
 * stopped until its timeout). Also a command still starting while the pause is applied, resumed at once.
 */
import { strict as assert } from 'node:assert';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import type { LocalServer } from '../../../../../local-server/server';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { runCore, SessionTracker } from '../../../../support/core-session';

const CYCLES = 50;
const FAST_WAIT = { wait: true, pollIntervalS: 0.05, waitTimeoutS: 30 };
/** Far above what echo needs, far below the 60 s test timeout: a stopped command shows as a timeout. */
const COMMAND_TIMEOUT_MS = 15000;

describe('session ops: pause → resume → command loop', function () {
  this.timeout(300_000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let session: SessionRef;

  before(async () => {
    server = await startTestServer({ transitionDelayMs: 5 });
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    session = await sessions.create();
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });

  it(`runs a command right after each of ${CYCLES} resumes`, async () => {
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await runCore(client, 'pauseSession', FAST_WAIT, session);
      await runCore(client, 'resumeSession', FAST_WAIT, session);
      const { output } = await runCore(client, 'executeCommand', { command: `echo cycle-${cycle}`, timeoutMs: COMMAND_TIMEOUT_MS }, session);
      assert.equal(output.json.exitCode, 0, `cycle ${cycle}: ${JSON.stringify(output.json)}`);
      assert.equal(String(output.json.stdout).trim(), `cycle-${cycle}`, `cycle ${cycle}`);
    }
  });

  it('finishes a command that was starting while the pause was applied, once resumed', async () => {
    for (let cycle = 0; cycle < 10; cycle++) {
      // Settled at once, so a refusal is never an unhandled rejection while the pause runs.
      const running = Promise.allSettled([
        runCore(client, 'executeCommand', { command: `sleep 0.2; echo racing-${cycle}`, timeoutMs: COMMAND_TIMEOUT_MS }, session),
      ]);
      // Either the command started before the pause (then it is frozen and thawed) or it is refused.
      const pauseError = await runCore(client, 'pauseSession', FAST_WAIT, session).then(() => undefined, (error: Error) => error);
      if (!pauseError) await runCore(client, 'resumeSession', FAST_WAIT, session);
      const [command] = await running;
      if (command.status === 'fulfilled') {
        assert.equal(String(command.value.output.json.stdout).trim(), `racing-${cycle}`, `cycle ${cycle}: ${JSON.stringify(command.value.output.json)}`);
        assert.notEqual(command.value.output.json.exitCode, 124, `cycle ${cycle} timed out`);
      } else {
        // The pause got there first: the service refuses tool calls unless RUNNING.
        assert.match(String(command.reason), /PAUSING|PAUSED|paused/, `cycle ${cycle}`);
      }
    }
  });
});
