/**
 * A real n8n (installed by scripts/setup-n8n-e2e.sh into .n8n-e2e/) with this package installed
 * as a community package: packed, then `npm install`ed into <N8N_USER_FOLDER>/.n8n/nodes, where
 * n8n's loader finds `n8n-nodes-*` packages. Workflows run headless with the n8n CLI
 * (import:credentials, import:workflow, execute --id --rawOutput).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packageRoot = join(__dirname, '..', '..', '..');
export const N8N_BIN = join(packageRoot, '.n8n-e2e', 'node_modules', '.bin', 'n8n');

export interface N8nNodeRun {
  executionStatus: string;
  data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown; binary?: Record<string, unknown> }>> };
  error?: { message: string; name?: string; description?: string };
}

export interface N8nExecution {
  status: string;
  runData: Record<string, N8nNodeRun[]>;
  error?: { message: string; name?: string; node?: { name: string } };
  /** Everything the CLI printed, for checks that nothing secret appears. */
  output: string;
}

export class N8nHost {
  private constructor(readonly userFolder: string) {}

  /** Creates a user folder and installs the packed package into it as a community package. */
  static create(): N8nHost {
    if (!existsSync(N8N_BIN)) throw new Error(`${N8N_BIN} is missing: run scripts/setup-n8n-e2e.sh (CI does)`);
    const userFolder = mkdtempSync(join(tmpdir(), 'agentbay-n8n-e2e-'));
    const nodesDir = join(userFolder, '.n8n', 'nodes');
    mkdirSync(nodesDir, { recursive: true });
    writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', userFolder], { cwd: packageRoot, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error', join(userFolder, tarball)], { cwd: nodesDir, stdio: 'pipe' });
    return new N8nHost(userFolder);
  }

  private cli(args: string[], timeoutMs = 120_000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        N8N_BIN,
        args,
        {
          cwd: this.userFolder,
          timeout: timeoutMs,
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, N8N_USER_FOLDER: this.userFolder, N8N_DIAGNOSTICS_ENABLED: 'false', N8N_LOG_LEVEL: 'info', N8N_VERSION_NOTIFICATIONS_ENABLED: 'false' },
        },
        (error, stdout, stderr) => (error && !stdout ? reject(new Error(`n8n ${args[0]} failed: ${stderr || error.message}`)) : resolve(`${stdout}${stderr}`)),
      );
    });
  }

  async importCredentials(credentials: unknown[]): Promise<void> {
    const file = join(this.userFolder, `credentials-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(credentials));
    await this.cli(['import:credentials', `--input=${file}`]);
  }

  async importWorkflow(workflow: Record<string, unknown>): Promise<void> {
    const file = join(this.userFolder, `workflow-${String(workflow.id)}.json`);
    writeFileSync(file, JSON.stringify([workflow]));
    await this.cli(['import:workflow', `--input=${file}`]);
  }

  /** Runs a workflow; the run JSON follows the task-runner log lines, from the first line that is `{`. */
  async execute(id: string): Promise<N8nExecution> {
    const output = await this.cli(['execute', `--id=${id}`, '--rawOutput'], 180_000);
    const start = output.search(/^\{/m);
    if (start < 0) throw new Error(`n8n printed no run data:\n${output}`);
    const end = output.lastIndexOf('\n}');
    const run = JSON.parse(output.slice(start, end + 2)) as {
      status: string;
      data: { resultData: { runData: Record<string, N8nNodeRun[]>; error?: N8nExecution['error'] } };
    };
    return { status: run.status, runData: run.data.resultData.runData, error: run.data.resultData.error, output };
  }

  dispose(): void {
    rmSync(this.userFolder, { recursive: true, force: true });
  }
}
