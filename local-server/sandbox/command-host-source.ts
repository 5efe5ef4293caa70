/**
 * The command host: a small Node.js process started once per session inside the session's sandbox
 * (`node -e COMMAND_HOST_SOURCE`), which starts that session's commands. Embedded as a string so it
 * ships inside dist/ with no copy step. The server side is command-host.ts.
 *
 * Why: a bubblewrap sandbox per command cost about 40 ms of mount set-up (the /etc binds, the scratch
 * tmpfs), and every spawn forked the large server process. A command started by this host is one
 * fork of a small process inside a sandbox that is already set up.
 *
 * Protocol, one JSON object per line. In (stdin): {t:"run", id, argv, cwd, env, marker, stdin?
 * (base64), side, cap} and {t:"kill", id}. Out (stdout): {t:"ready"} once, {t:"out", id, fd (1, 2
 * or 3), data (base64)}, and last for each id {t:"exit", id, code, signal, truncated: [stdout,
 * stderr, side]} or {t:"exit", id, error}. `marker` is the run's `NAME=value`, present in the
 * environment of every process of the run: after the command exits, on kill, the host kills its
 * process group and every process of the sandbox carrying the marker (this pid namespace holds only
 * the session's processes, so the scan is short).
 */
export const COMMAND_HOST_SOURCE = String.raw`
(function () {
  'use strict';
  const { spawn } = require('child_process');
  const fs = require('fs');

  const MAX_LINE = 64 * 1024 * 1024;
  const PIPE_GRACE_MS = 2000;
  const SWEEP_ROUNDS = 5;
  const runs = new Map();

  function send(message) {
    process.stdout.write(JSON.stringify(message) + '\n');
  }

  function markedPids(marker) {
    const needle = Buffer.from(marker + '\0');
    const pids = [];
    let names;
    try {
      names = fs.readdirSync('/proc');
    } catch (err) {
      return pids;
    }
    for (const name of names) {
      if (!/^[0-9]+$/.test(name)) continue;
      const pid = Number(name);
      if (pid === process.pid || pid === 1) continue;
      let env;
      try {
        env = fs.readFileSync('/proc/' + name + '/environ');
      } catch (err) {
        continue;
      }
      const at = env.indexOf(needle);
      if (at === 0 || (at > 0 && env[at - 1] === 0)) pids.push(pid);
    }
    return pids;
  }

  function signal(pid, name) {
    try {
      process.kill(pid, name);
    } catch (err) {
      // gone already
    }
  }

  function sweep(run) {
    if (run.pid !== undefined) signal(-run.pid, 'SIGKILL');
    for (let round = 0; round < SWEEP_ROUNDS; round++) {
      const pids = markedPids(run.marker);
      if (pids.length === 0) break;
      for (const pid of pids) signal(pid, 'SIGKILL');
    }
  }

  function parentOf(pid) {
    try {
      const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch (err) {
      return 0;
    }
  }

  /**
   * Kills the processes of this sandbox that belong to no running command: a process that cleared its
   * environment (no marker) and left its group is still an orphan of a command that has exited. A
   * process belongs to a running command when it carries its marker or descends from this host
   * (command leaders and what they start, while their parents live). Called after every exit.
   */
  function sweepOrphans() {
    const live = [];
    for (const run of runs.values()) if (!run.exited) live.push(Buffer.from(run.marker + '\0'));
    for (let round = 0; round < SWEEP_ROUNDS; round++) {
      let names;
      try {
        names = fs.readdirSync('/proc');
      } catch (err) {
        return;
      }
      const parents = new Map();
      for (const name of names) if (/^[0-9]+$/.test(name)) parents.set(Number(name), parentOf(name));
      const strays = [];
      for (const pid of parents.keys()) {
        if (pid === process.pid || pid === 1) continue;
        let ancestor = pid;
        for (let depth = 0; depth < 64 && ancestor !== process.pid && ancestor > 1; depth++) ancestor = parents.get(ancestor) || 0;
        if (ancestor === process.pid) continue;
        let env;
        try {
          env = fs.readFileSync('/proc/' + pid + '/environ');
        } catch (err) {
          continue;
        }
        if (live.some(function (needle) { const at = env.indexOf(needle); return at === 0 || (at > 0 && env[at - 1] === 0); })) continue;
        strays.push(pid);
      }
      if (strays.length === 0) return;
      for (const pid of strays) signal(pid, 'SIGKILL');
    }
  }

  function start(request) {
    const id = request.id;
    const stdio = [typeof request.stdin === 'string' ? 'pipe' : 'ignore', 'pipe', 'pipe'];
    if (request.side === true) stdio.push('pipe');
    const caps = [0, request.cap, request.cap, request.cap * 4];
    const sent = [0, 0, 0, 0];
    const truncated = [false, false, false, false];
    const run = { id: id, marker: request.marker, pid: undefined, child: undefined, exited: false };
    let finished = false;
    let exitCode = null;
    let exitSignal = null;
    let graceTimer;
    const finish = function (error) {
      if (finished) return;
      finished = true;
      if (graceTimer) clearTimeout(graceTimer);
      runs.delete(id);
      if (error !== undefined) send({ t: 'exit', id: id, error: error });
      else send({ t: 'exit', id: id, code: exitCode, signal: exitSignal, truncated: [truncated[1], truncated[2], truncated[3]] });
    };
    let child;
    try {
      // detached: the command leads a new session and process group, so -pid reaches its group.
      child = spawn(request.argv[0], request.argv.slice(1), { cwd: request.cwd, env: request.env, stdio: stdio, detached: true });
    } catch (err) {
      finish(String(err && err.message ? err.message : err));
      return;
    }
    run.pid = child.pid;
    run.child = child;
    runs.set(id, run);
    for (let fd = 1; fd < child.stdio.length; fd++) {
      const stream = child.stdio[fd];
      if (!stream) continue;
      stream.on('error', function () {});
      stream.on('data', function (chunk) {
        const room = caps[fd] - sent[fd];
        if (room <= 0) {
          truncated[fd] = true;
          return;
        }
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        if (part.length < chunk.length) truncated[fd] = true;
        sent[fd] += part.length;
        send({ t: 'out', id: id, fd: fd, data: part.toString('base64') });
      });
    }
    if (child.stdin) {
      child.stdin.on('error', function () {});
      child.stdin.end(Buffer.from(request.stdin, 'base64'));
    }
    child.on('error', function (err) {
      if (child.pid === undefined) finish(String(err && err.message ? err.message : err));
    });
    child.on('exit', function (code, sig) {
      exitCode = code;
      exitSignal = sig;
      run.exited = true;
      // Whatever the command left running goes with it (a 'sleep 100 &' must not survive it).
      sweep(run);
      sweepOrphans();
      graceTimer = setTimeout(function () {
        // Something escaped the sweep and still holds the pipes: stop waiting for it.
        for (let fd = 1; fd < child.stdio.length; fd++) if (child.stdio[fd]) child.stdio[fd].destroy();
        finish();
      }, PIPE_GRACE_MS);
    });
    child.on('close', function () {
      finish();
    });
  }

  function handle(line) {
    let request;
    try {
      request = JSON.parse(line);
    } catch (err) {
      return;
    }
    if (request === null || typeof request !== 'object' || !Number.isSafeInteger(request.id)) return;
    if (request.t === 'run') {
      if (!Array.isArray(request.argv) || request.argv.length === 0 || typeof request.marker !== 'string') {
        send({ t: 'exit', id: request.id, error: 'malformed request' });
        return;
      }
      start(request);
    } else if (request.t === 'kill') {
      const run = runs.get(request.id);
      if (run) sweep(run);
    }
  }

  send({ t: 'ready' });
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', function (chunk) {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      handle(line);
    }
    if (pending.length > MAX_LINE) pending = '';
  });
  // The server closed the channel (or died): nothing of this session may outlive it.
  process.stdin.on('end', function () {
    for (const run of runs.values()) sweep(run);
    process.exit(0);
  });
})();
`;
