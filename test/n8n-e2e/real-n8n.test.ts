/**
 * End to end in each real n8n of the version matrix (2.x and 1.x, see N8N_INSTALLS): the package
 * installed as a community package, credentials and workflows imported, workflows executed by
 * the n8n CLI against the local AgentBay server. Proves what the in-process n8n tests cannot:
 * n8n's loader finds every node and the credential, the engine runs the chain with the session
 * flowing item to item, and errors surface the n8n way. Titles carry the installed version.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalServer } from '../../local-server/server';
import { operations } from '../../nodes/core/catalogue/index';
import { n8nNodeName } from '../../nodes/core/catalogue/naming';
import { startTestServer } from '../support/local-server';
import { installedN8nVersion, N8N_INSTALLS, N8nHost, type N8nExecution, type N8nInstall } from '../support/n8n-host';

const CREDENTIAL = { id: 'agentbaye2ecred1', name: 'AgentBay local server' };
const nodeType = (operationId: string) =>
  `n8n-nodes-agentbay.${n8nNodeName(operations.find((operation) => operation.id === operationId)!)}`;

interface StepSpec {
  name: string;
  operation: string;
  parameters?: Record<string, unknown>;
  onError?: string;
}

/** A linear workflow: Manual Trigger → steps in order. */
function workflow(id: string, steps: StepSpec[]): Record<string, unknown> {
  const nodes: Array<Record<string, unknown>> = [
    { id: `${id}-0`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    ...steps.map((step, index) => ({
      id: `${id}-${index + 1}`,
      name: step.name,
      type: nodeType(step.operation),
      typeVersion: 1,
      position: [200 * (index + 1), 0],
      parameters: step.parameters ?? {},
      credentials: { agentBayApi: CREDENTIAL },
      ...(step.onError ? { onError: step.onError } : {}),
    })),
  ];
  const names = ['Start', ...steps.map((step) => step.name)];
  const connections: Record<string, unknown> = {};
  for (let index = 0; index < names.length - 1; index++) {
    connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
  }
  return { id, name: id, active: false, settings: {}, nodes, connections };
}

const firstJson = (execution: N8nExecution, node: string): Record<string, unknown> => {
  const run = execution.runData[node]?.[0];
  assert.ok(run, `${node} ran`);
  return run.data!.main[0][0].json;
};

for (const install of N8N_INSTALLS) e2eSuite(install);

function e2eSuite(install: N8nInstall): void {
  describe(`real n8n ${installedN8nVersion(install) ?? `${install.line} (not installed in ${install.dir}: run scripts/setup-n8n-e2e.sh)`} end to end`, function () {
    this.timeout(600_000);
    let server: LocalServer;
    let n8n: N8nHost;

    before(async () => {
      const version = installedN8nVersion(install);
      assert.ok(version?.startsWith(install.line.replace('x', '')), `n8n ${install.line} is installed in ${install.dir} (found ${version})`);
      server = await startTestServer();
      n8n = await N8nHost.create(install);
      await n8n.importCredentials([
        {
          ...CREDENTIAL,
          type: 'agentBayApi',
          data: { apiKey: server.apiKey, region: 'custom', customEndpoint: server.url, timeoutMs: 60000 },
        },
      ]);
    });
    after(async () => {
      n8n?.dispose();
      await server?.close();
    });

    it('runs create → write → command → code → read → delete with the session flowing item to item', async () => {
      await n8n.importWorkflow(
        workflow('agentbaye2echain', [
          { name: 'Create', operation: 'createSession', parameters: { labels: '{"e2e":"chain"}' } },
          { name: 'Write', operation: 'writeFile', parameters: { path: '/home/wuying/numbers.txt', content: '4 8 15 16 23 42' } },
          { name: 'Command', operation: 'executeCommand', parameters: { command: 'cat /home/wuying/numbers.txt' } },
          { name: 'Code', operation: 'runCode', parameters: { language: 'python', code: "sum(int(x) for x in open('/home/wuying/numbers.txt').read().split())" } },
          { name: 'Read', operation: 'readFile', parameters: { path: '/home/wuying/numbers.txt' } },
          { name: 'Delete', operation: 'deleteSession' },
        ]),
      );
      const execution = await n8n.execute('agentbaye2echain');
      assert.equal(execution.status, 'success', execution.output.slice(-3000));
      const sessionId = firstJson(execution, 'Create').sessionId as string;
      assert.match(sessionId, /^session-/);
      for (const node of ['Write', 'Command', 'Code', 'Read']) {
        assert.equal((firstJson(execution, node).session as { sessionId: string }).sessionId, sessionId, `${node} carries the session`);
        assert.deepEqual(execution.runData[node][0].data!.main[0][0].pairedItem, { item: 0 });
      }
      assert.equal(firstJson(execution, 'Command').stdout, '4 8 15 16 23 42');
      assert.equal(firstJson(execution, 'Code').result, '108');
      assert.equal(firstJson(execution, 'Read').content, '4 8 15 16 23 42');
      assert.deepEqual(
        { deleted: firstJson(execution, 'Delete').deleted, sessionId: firstJson(execution, 'Delete').sessionId },
        { deleted: true, sessionId },
      );
      assert.match(execution.output, /AgentBay Delete Session \[item 0\]: waiting for deletion/, 'progress reaches the n8n log');
      assert.ok(!execution.output.includes(server.apiKey), 'the key never reaches the output');
      assert.equal(server.sessionCount(), 0);
    });

    it('fails the execution with the API error, or continues with an error item when told to', async () => {
      await n8n.importWorkflow(workflow('agentbaye2efail', [{ name: 'Get', operation: 'getSession', parameters: { sessionId: 'session-missing' } }]));
      const failed = await n8n.execute('agentbaye2efail');
      assert.equal(failed.status, 'error');
      assert.equal(failed.error?.message, 'Failed to get session session-missing: Session session-missing not found');
      assert.equal(failed.error?.node?.name, 'Get');

      await n8n.importWorkflow(
        workflow('agentbaye2econt', [
          { name: 'Get', operation: 'getSession', parameters: { sessionId: 'session-missing' }, onError: 'continueRegularOutput' },
        ]),
      );
      const continued = await n8n.execute('agentbaye2econt');
      assert.equal(continued.status, 'success');
      assert.equal(firstJson(continued, 'Get').error, 'Failed to get session session-missing: Session session-missing not found');
    });

    /** The shipped workflow, as a user imports it, pointed at the test credential. */
    function shippedWorkflow(
      id: string,
      name = 'run-script-collect-output',
    ): { nodes: Array<{ name: string; type: string; typeVersion: number; credentials?: Record<string, unknown>; parameters: Record<string, unknown> }> } & Record<string, unknown> {
      const file = join(__dirname, '..', '..', '..', 'docs', 'n8n-workflows', `${name}.json`);
      const shipped = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof shippedWorkflow>;
      for (const node of shipped.nodes) if (node.credentials) node.credentials = { agentBayApi: CREDENTIAL };
      return { ...shipped, id, active: false };
    }

    it('runs the shipped n8n workflow (docs/n8n-workflows) as a user imports it', async () => {
      await n8n.importWorkflow(shippedWorkflow('agentbaye2edocs'));
      const execution = await n8n.execute('agentbaye2edocs');
      assert.equal(execution.status, 'success', execution.output.slice(-3000));
      assert.equal(firstJson(execution, 'Run Script').exitCode, 0);
      assert.equal(String(firstJson(execution, 'Read Output File').content).replace(/\r/g, ''), 'metric,value\ncount,8\nmean,3.875\nmax,9\n');
      assert.equal(firstJson(execution, 'Delete Session').deleted, true);
      assert.equal(server.sessionCount(), 0);
    });

    it('still deletes the session when the script fails in the shipped workflow', async () => {
      const broken = shippedWorkflow('agentbaye2ebroken');
      broken.nodes.find((node) => node.name === 'Run Script')!.parameters.command = 'python3 -c "raise SystemExit(3)"';
      await n8n.importWorkflow(broken);
      const execution = await n8n.execute('agentbaye2ebroken');
      assert.equal(execution.status, 'success', execution.output.slice(-3000));
      assert.match(String(firstJson(execution, 'Run Script').error), /^Command exited with code 3/);
      assert.ok(firstJson(execution, 'Read Output File').error, 'the read fails too, carrying the session on');
      assert.equal(firstJson(execution, 'Delete Session').deleted, true);
      assert.equal(server.sessionCount(), 0);
    });

    it('runs the shipped reuse-a-workspace workflow twice: the second run finds the first run\'s file in the context', async () => {
      // The CLI runs a workflow from a manual start; the Schedule Trigger is what a user activates.
      const workflow = shippedWorkflow('agentbaye2ereuse', 'reuse-workspace-across-runs');
      const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
      assert.ok(trigger, 'the shipped workflow starts with a Schedule Trigger');
      Object.assign(trigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
      await n8n.importWorkflow(workflow);
      const lines: number[] = [];
      for (let run = 0; run < 2; run++) {
        const execution = await n8n.execute('agentbaye2ereuse');
        assert.equal(execution.status, 'success', execution.output.slice(-3000));
        const log = String(firstJson(execution, 'Append To runs.log').stdout);
        lines.push(log.split('\n').filter((line) => line.startsWith('run at ')).length);
        assert.equal(firstJson(execution, 'Delete Session').deleted, true);
        assert.equal(server.sessionCount(), 0);
      }
      assert.deepEqual(lines, [1, 2], 'the second run sees the line the first run wrote');
    });
  });
}
