/**
 * The languages run_code offers, how each one's kernel is launched, and which are installed here
 * (reported in the server's banner; a missing one gives a clear error instead of a failed spawn).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ToolContext } from '../context';
import { JAVA_FLAGS, JAVA_KERNEL, JAVA_KERNEL_CLASS } from '../runners/java';
import { JAVASCRIPT_KERNEL } from '../runners/javascript';
import { PYTHON_KERNEL } from '../runners/python';
import { R_KERNEL } from '../runners/r';
import type { KernelLaunch } from './kernel';

export type Language = 'python' | 'javascript' | 'r' | 'java';

/**
 * Debian's interpreter, where the code image's packages (numpy, pandas, matplotlib, IPython) are
 * installed; a python3 earlier on the server's PATH (pyenv, a venv) would not have them, and in
 * bubblewrap mode only /usr is visible anyway.
 */
const SYSTEM_PYTHON = '/usr/bin/python3';
const PYTHON_PACKAGES = ['numpy', 'pandas', 'matplotlib', 'IPython'];
const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

function pythonCommand(ctx: ToolContext): string | null {
  if (existsSync(SYSTEM_PYTHON)) return SYSTEM_PYTHON;
  return ctx.isolation.hasExecutable('python3') ? 'python3' : null;
}

const MISSING: Record<Language, string> = {
  python: 'Python is not installed on this local server (Debian package python3)',
  javascript: 'Node.js is not available to this local server',
  java: 'Java is not installed on this local server (a JDK with jshell, e.g. Debian package default-jdk-headless)',
  r: 'R is not installed on this local server (Debian package r-base-core)',
};

/** How to start the kernel of `language` in this session, or why it cannot be. */
export async function kernelLaunch(language: Language, ctx: ToolContext): Promise<KernelLaunch | string> {
  switch (language) {
    case 'python': {
      const python = pythonCommand(ctx);
      if (python === null) return MISSING.python;
      return {
        name: 'python',
        argv: [python, '-u', '-c', PYTHON_KERNEL],
        env: { MPLBACKEND: 'Agg', PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1' },
      };
    }
    case 'javascript':
      return { name: 'javascript', argv: [ctx.isolation.nodeBinary(), '-e', JAVASCRIPT_KERNEL], enforcesTimeout: true };
    case 'java': {
      if (!ctx.isolation.hasExecutable('java') || !ctx.isolation.hasExecutable('jshell')) return MISSING.java;
      // Single-file source mode needs a file; it lives in the session's /tmp (read once, at start).
      const dir = path.join(ctx.paths.tmpHost, '.agentbay-kernel');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${JAVA_KERNEL_CLASS}.java`);
      await writeFile(file, JAVA_KERNEL);
      const tmp = ctx.commandPath(ctx.paths.tmpHost);
      return { name: 'java', argv: ['java', ...JAVA_FLAGS, `-Djava.io.tmpdir=${tmp}`, ctx.commandPath(file)] };
    }
    case 'r':
      if (!ctx.isolation.hasExecutable('Rscript')) return MISSING.r;
      return { name: 'r', argv: ['Rscript', '--vanilla', '-e', R_KERNEL] };
  }
}

function onPath(name: string): boolean {
  const dirs = `${process.env.PATH ?? ''}:/usr/local/bin:/usr/bin:/bin`.split(':');
  return dirs.some((dir) => dir !== '' && existsSync(path.join(dir, name)));
}

/** One line for the banner: each language, and for Python which rich-output packages it has. */
export function describeLanguages(): string {
  const parts: string[] = [];
  if (existsSync(SYSTEM_PYTHON) || onPath('python3')) {
    const have = existsSync(SYSTEM_PYTHON) ? PYTHON_PACKAGES.filter((p) => existsSync(path.join(DIST_PACKAGES, p))) : [];
    const lacking = PYTHON_PACKAGES.filter((p) => !have.includes(p));
    parts.push(`python (${existsSync(SYSTEM_PYTHON) ? SYSTEM_PYTHON : 'python3 on PATH'}${lacking.length > 0 ? `; without ${lacking.join(', ')}` : `; ${have.join(', ')}`})`);
  } else {
    parts.push('python: not installed');
  }
  parts.push('javascript');
  parts.push(onPath('java') && onPath('jshell') ? 'java (jshell)' : 'java: not installed');
  parts.push(onPath('Rscript') ? 'r' : 'r: not installed');
  return parts.join(', ');
}
