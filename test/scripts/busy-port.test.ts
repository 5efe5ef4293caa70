/**
 * A busy port is the most common first-run failure (a second Node-RED, an old agentbay-local):
 * both commands say which port and how to choose another, exit with code 3, and show no stack trace.
 */
import { strict as assert } from 'node:assert';
import { holdPort, killLeftovers, LOCAL_SERVER_CLI, run, runStart, STACK_LINE } from '../support/scripts';

const EXIT_PORT_BUSY = 3;

describe('first hour: a busy port', function () {
  this.timeout(120000);
  let held: Awaited<ReturnType<typeof holdPort>>;

  beforeEach(async () => {
    held = await holdPort();
  });
  afterEach(async () => {
    killLeftovers();
    await held.release();
  });

  it('agentbay-local names the port, suggests --port and exits 3', async () => {
    const cli = run(LOCAL_SERVER_CLI, ['--port', String(held.port), '--quiet']);
    const { code } = await cli.exited;
    assert.equal(code, EXIT_PORT_BUSY, cli.stderr());
    assert.match(cli.stderr(), new RegExp(`port ${held.port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(cli.stderr(), /--port 0 picks a free one/);
    assert.doesNotMatch(cli.stderr(), STACK_LINE);
    assert.doesNotMatch(cli.stdout(), /running/, 'no banner for a server that is not running');
  });

  it('npm start names the editor port and NODE_RED_PORT, exits 3', async () => {
    const start = runStart({ NODE_RED_PORT: String(held.port) });
    const { code } = await start.exited;
    assert.equal(code, EXIT_PORT_BUSY, start.stderr());
    assert.match(start.stderr(), new RegExp(`Port ${held.port} is already in use \\(another Node-RED\\?\\)`));
    assert.match(start.stderr(), /NODE_RED_PORT=1881 npm start/);
    assert.doesNotMatch(start.stderr(), STACK_LINE);
  });

  it('npm start refuses a busy AGENTBAY_LOCAL_PORT it was given, exits 3', async () => {
    const start = runStart({ AGENTBAY_LOCAL_PORT: String(held.port) });
    const { code } = await start.exited;
    assert.equal(code, EXIT_PORT_BUSY, start.stderr());
    assert.match(start.stderr(), new RegExp(`Port ${held.port} \\(AGENTBAY_LOCAL_PORT\\) is already in use`));
    assert.doesNotMatch(start.stderr(), STACK_LINE);
  });
});
