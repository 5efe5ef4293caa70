/**
 * A real n8n (one of the versions scripts/setup-n8n-e2e.sh installs, each in its own directory)
 * with this package installed as a community package: packed, then `npm install`ed into
 * <N8N_USER_FOLDER>/.n8n/nodes, where n8n's loader finds `n8n-nodes-*` packages. Workflows run
 * headless with the n8n CLI (import:credentials, import:workflow, execute --id --rawOutput).
 * Every port n8n would open is a free one picked here, so two runs on one machine cannot collide.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';

const packageRoot = join(__dirname, '..', '..', '..');

/** An installed n8n: its directory (relative to the package root) and the line it stands for. */
export interface N8nInstall {
  line: string;
  dir: string;
}

/** What the end-to-end test runs, newest first; scripts/setup-n8n-e2e.sh installs them. */
export const N8N_INSTALLS: N8nInstall[] = [
  { line: '2.x', dir: '.n8n-e2e' },
  { line: '1.x', dir: '.n8n-e2e-1.x' },
];

/**
 * The environment for npm commands: PATH without node_modules/.bin entries. Under `npx mocha` PATH starts with
 * them, and the npm found there (10.x, a dependency's) runs `prepare` (a full build) on `npm pack` despite
 * --ignore-scripts; the tests run on a finished build, so the npm that comes with Node packs it as it is.
 */
const npmEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes(`node_modules${sep}.bin`))
    .join(delimiter),
});

const binOf = (install: N8nInstall): string => join(packageRoot, install.dir, 'node_modules', '.bin', 'n8n');

/** The installed n8n's version, as its package says, or undefined when it is not installed. */
export function installedN8nVersion(install: N8nInstall): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, install.dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** A port free on loopback right now (n8n binds its own; the window until it does is tiny). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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
  private constructor(
    readonly userFolder: string,
    readonly bin: string,
    private readonly ports: Record<string, string>,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * Creates a user folder and installs the packed package into it as a community package. `env`: settings
   * every n8n command of this host gets (e.g. N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE).
   */
  static async create(install: N8nInstall, env: Record<string, string> = {}): Promise<N8nHost> {
    const bin = binOf(install);
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run scripts/setup-n8n-e2e.sh (CI does)`);
    const userFolder = mkdtempSync(join(tmpdir(), 'agentbay-n8n-e2e-'));
    const nodesDir = join(userFolder, '.n8n', 'nodes');
    mkdirSync(nodesDir, { recursive: true });
    writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', userFolder], { cwd: packageRoot, encoding: 'utf8', env: npmEnv() })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error', join(userFolder, tarball)], { cwd: nodesDir, stdio: 'pipe', env: npmEnv() });
    // The main port (unused by the CLI commands, set anyway) and the task-runner broker, 5678 and 5679 by default.
    const ports = { N8N_PORT: String(await freePort()), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
    return new N8nHost(userFolder, bin, ports, env);
  }

  /** What every n8n process of this host runs with: its user folder, its free ports, no phoning home. */
  environment(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.env,
      ...this.ports,
      N8N_USER_FOLDER: this.userFolder,
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_LOG_LEVEL: 'info',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    };
  }

  private cli(args: string[], timeoutMs = 120_000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        args,
        {
          cwd: this.userFolder,
          timeout: timeoutMs,
          maxBuffer: 64 * 1024 * 1024,
          env: this.environment(),
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
    await this.importWorkflows([workflow]);
  }

  /** Several workflows in one CLI run (each run boots n8n: seconds on a loaded machine). */
  async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
    const file = join(this.userFolder, `workflow-${workflows.map((workflow) => String(workflow.id)).join('-')}.json`);
    writeFileSync(file, JSON.stringify(workflows));
    await this.cli(['import:workflow', `--input=${file}`]);
  }

  /** Makes the imported workflow's current version the active one: its triggers (webhooks) go live when n8n starts. */
  async publishWorkflow(id: string): Promise<void> {
    const output = await this.cli(['publish:workflow', `--id=${id}`]);
    if (/GOT ERROR/.test(output)) throw new Error(`n8n publish:workflow failed:\n${output}`);
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

  /**
   * The bytes of a binary output of a run: inline base64, or the file n8n 2.x's filesystem mode stored
   * (`id` `filesystem-v2:<path under <user folder>/.n8n/storage>`); kept until dispose.
   */
  readBinary(binary: { data: string; id?: string }): Buffer {
    if (binary.id === undefined) return Buffer.from(binary.data, 'base64');
    const stored = /^filesystem-v2:([\w./-]{1,500})$/.exec(binary.id)?.[1];
    if (stored === undefined || stored.split('/').includes('..')) throw new Error(`n8n gave a binary data id of an unknown form: ${binary.id}`);
    return readFileSync(join(this.userFolder, '.n8n', 'storage', stored));
  }

  dispose(): void {
    rmSync(this.userFolder, { recursive: true, force: true });
  }
}
