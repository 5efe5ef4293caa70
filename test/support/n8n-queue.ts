/**
 * n8n in queue mode (scaling mode) on this machine, as a production scale-out runs it: a real
 * Redis (Debian's redis-server on loopback, no persistence), one n8n main that receives webhooks
 * and enqueues executions, and named `n8n worker` processes that run them. They share one
 * N8nHost: its user folder (the SQLite database and the community package) and its encryption key.
 * Every process runs in its own process group, so stopping one stops whatever it spawned (n8n's
 * task runners), and `leftoverPids` can prove nothing is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type N8nHost } from './n8n-host';
import { waitFor } from './wait';

/** How much of a process's output is kept for failure messages (the tail). */
const OUTPUT_KEPT = 256 * 1024;
/** A loaded 2-core machine takes this long to boot an n8n main or worker. */
const START_TIMEOUT_MS = 150_000;
/** n8n waits for running executions on SIGTERM; after this the group is killed. */
const STOP_GRACE_MS = 45_000;

/** Live (non-zombie) processes in process group `groupId`. */
export function pidsInGroup(groupId: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name in parentheses: state, parent pid, process group.
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === groupId && state !== 'Z' && state !== 'X') pids.push(Number(name));
    } catch {
      // the process went away while we looked
    }
  }
  return pids;
}

/** One child process leading its own process group, its output kept for failure messages. */
class GroupProcess {
  private output = '';
  private exitCode: number | null | undefined;
  readonly groupId: number;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    cwd: string,
  ) {
    this.child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.child.pid === undefined) throw new Error(`${name} did not start (${command})`);
    this.groupId = this.child.pid;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
    });
  }

  get log(): string {
    return this.output;
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** Waits until the output shows `marker`; fails at once, with the output, if the process exits. */
  async waitForOutput(marker: string | RegExp, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    await waitFor(
      () => {
        if (this.exited) throw new Error(`${this.name} exited (${String(this.exitCode)}) before it was ready:\n${this.output.slice(-4000)}`);
        return typeof marker === 'string' ? this.output.includes(marker) : marker.test(this.output);
      },
      timeoutMs,
      () => `${this.name} to print ${String(marker)}; its output so far:\n${this.output.slice(-4000)}`,
      250,
    );
  }

  /** SIGTERM to the whole group (n8n finishes running executions first), SIGKILL after the grace time. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-this.groupId, name);
      } catch {
        // the group is gone already
      }
    };
    if (pidsInGroup(this.groupId).length === 0) return;
    signal('SIGTERM');
    try {
      await waitFor(() => pidsInGroup(this.groupId).length === 0, graceMs, `${this.name} to stop`, 100);
    } catch {
      signal('SIGKILL');
      await waitFor(() => pidsInGroup(this.groupId).length === 0, 10_000, `${this.name} to die after SIGKILL`, 100);
    }
  }
}

/** The n8n settings the cluster runs with, besides the host's (user folder, ports): what the README documents. */
export interface QueueSettings {
  EXECUTIONS_MODE: 'queue';
  QUEUE_BULL_REDIS_HOST: string;
  QUEUE_BULL_REDIS_PORT: string;
  N8N_ENCRYPTION_KEY: string;
  WEBHOOK_URL: string;
  OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true';
  N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false';
}

export class N8nQueueCluster {
  private readonly workers = new Map<string, GroupProcess>();
  /** Every process group ever started, for the check that none is left. */
  private readonly groups: GroupProcess[] = [];

  private constructor(
    private readonly host: N8nHost,
    private readonly redis: GroupProcess,
    private readonly redisDir: string,
    private readonly main: GroupProcess,
    readonly mainUrl: string,
    readonly settings: QueueSettings,
  ) {
    this.groups.push(redis, main);
  }

  /**
   * Starts Redis, the main and the named workers, and waits until all are ready. The host's
   * workflows must be imported and published first: the main activates their webhooks at start.
   */
  static async start(host: N8nHost, workerNames: string[]): Promise<N8nQueueCluster> {
    const redisDir = mkdtempSync(join(tmpdir(), 'agentbay-n8n-queue-redis-'));
    const redisPort = await freePort();
    // No persistence (no RDB snapshots, no append-only file): the queue lives as long as the test.
    const redis = new GroupProcess(
      'redis-server',
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(redisPort), '--dir', redisDir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
      process.env,
      redisDir,
    );
    let main: GroupProcess | undefined;
    try {
      await redis.waitForOutput('Ready to accept connections', 30_000);
      const mainPort = await freePort();
      const mainUrl = `http://127.0.0.1:${mainPort}`;
      const settings: QueueSettings = {
        EXECUTIONS_MODE: 'queue',
        QUEUE_BULL_REDIS_HOST: '127.0.0.1',
        QUEUE_BULL_REDIS_PORT: String(redisPort),
        // Every process must decrypt the credentials the main stored: the key n8n generated for the folder.
        N8N_ENCRYPTION_KEY: (JSON.parse(readFileSync(join(host.userFolder, '.n8n', 'config'), 'utf8')) as { encryptionKey: string }).encryptionKey,
        WEBHOOK_URL: `${mainUrl}/`,
        OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
        // The tests read which worker ran a step from a per-worker variable in an expression.
        N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
      };
      main = new GroupProcess(
        'n8n main',
        host.bin,
        ['start'],
        { ...host.environment(), ...settings, N8N_PORT: String(mainPort), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
        host.userFolder,
      );
      const cluster = new N8nQueueCluster(host, redis, redisDir, main, mainUrl, settings);
      try {
        await Promise.all([main.waitForOutput('Editor is now accessible via'), ...workerNames.map((name) => cluster.startWorker(name))]);
      } catch (error) {
        await cluster.stop();
        throw error;
      }
      return cluster;
    } catch (error) {
      if (main && !main.exited) await main.stop();
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Starts `n8n worker` named `name` (its AGENTBAY_QUEUE_WORKER variable) with its own health port
   * and task-runner port; resolves when it takes jobs.
   */
  async startWorker(name: string): Promise<void> {
    if (this.workers.has(name)) throw new Error(`worker ${name} runs already`);
    const healthPort = await freePort();
    const worker = new GroupProcess(
      `n8n worker ${name}`,
      this.host.bin,
      ['worker', '--concurrency=5'],
      {
        ...this.host.environment(),
        ...this.settings,
        AGENTBAY_QUEUE_WORKER: name,
        QUEUE_HEALTH_CHECK_ACTIVE: 'true',
        QUEUE_HEALTH_CHECK_PORT: String(healthPort),
        N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
        N8N_RUNNERS_BROKER_PORT: String(await freePort()),
      },
      this.host.userFolder,
    );
    this.workers.set(name, worker);
    this.groups.push(worker);
    await worker.waitForOutput('n8n worker is now ready');
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined))?.ok,
      30_000,
      `worker ${name} to report ready on /healthz/readiness`,
      250,
    );
  }

  /** Stops worker `name` gracefully: it finishes (or parks, at a Wait node) the executions it runs. */
  async stopWorker(name: string): Promise<void> {
    const worker = this.workers.get(name);
    if (!worker) throw new Error(`no worker ${name} runs`);
    this.workers.delete(name);
    await worker.stop();
  }

  /** Every process's output tail, for failure messages. */
  logs(): string {
    return this.groups.map((group) => `--- ${group.name}\n${group.log.slice(-3000)}`).join('\n');
  }

  /** The pids still alive in any group the cluster started: empty after `stop`. */
  leftoverPids(): number[] {
    return this.groups.flatMap((group) => pidsInGroup(group.groupId));
  }

  /** Workers first (no job is lost to a missing main), then the main, then Redis. Safe to call twice. */
  async stop(): Promise<void> {
    const workers = [...this.workers.keys()];
    await Promise.all(workers.map((name) => this.stopWorker(name)));
    await this.main.stop();
    await this.redis.stop();
    rmSync(this.redisDir, { recursive: true, force: true });
  }
}
