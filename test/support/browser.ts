/**
 * Browser-session test helpers: a page served on loopback (a title, a form and a tall body), a per-browser
 * marker switch that finds its processes, and the PNG/JPEG size read back from a screenshot.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PAGE_TITLE = 'AgentBay browser test page';
/** The page's body is this tall, so a full-page screenshot is taller than any test viewport. */
export const PAGE_HEIGHT = 1600;

const PAGE = `<!doctype html>
<html><head><title>${PAGE_TITLE}</title><style>html,body{margin:0;padding:0}body{height:${PAGE_HEIGHT}px}</style></head>
<body>
<form id="form" onsubmit="event.preventDefault(); document.getElementById('echo').textContent = 'Hello, ' + document.getElementById('name').value;">
  <input id="name" name="name" autocomplete="off">
  <button id="send" type="submit">Send</button>
</form>
<p id="echo"></p>
<div style="height:1000px;background:linear-gradient(#fff,#39f)"></div>
</body></html>`;

export interface TestPage {
  url: string;
  /** How many times the page itself (not its favicon) was fetched. */
  hits(): number;
  close(): Promise<void>;
}

/** Serves the test page on loopback (a free port). */
export async function serveTestPage(): Promise<TestPage> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404, { connection: 'close' }).end(); // the favicon
      return;
    }
    hits += 1;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A Chromium switch that Chromium ignores, put on one browser's command line to find its processes. */
export function markerSwitch(): string {
  return `--agentbay-test-marker=${randomBytes(8).toString('hex')}`;
}

function parentOf(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[1];
  } catch {
    return undefined;
  }
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`).toString().split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Live processes of the browser started with `marker`: those whose command line has it (bubblewrap, the browser)
 * and all their descendants (renderer, GPU and utility processes, which do not repeat unknown switches).
 */
export function browserProcesses(marker: string): number[] {
  const parents = new Map<string, string>();
  const found = new Set<string>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const parent = parentOf(pid);
    if (parent === undefined) continue;
    parents.set(pid, parent);
    if (commandLine(pid).includes(marker)) found.add(pid);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!found.has(pid) && found.has(parent)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found].map(Number);
}

/** Type and size of a PNG (IHDR) or baseline/progressive JPEG (SOF), parsed independently of the package's code. */
export function imageHeader(data: Buffer): { type: string; width: number; height: number } {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { type: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data[0] === 0xff && data[1] === 0xd8) {
    for (let offset = 2; offset + 9 < data.length;) {
      const marker = data[offset + 1]!;
      if (marker === 0xc0 || marker === 0xc2) return { type: 'jpeg', width: data.readUInt16BE(offset + 7), height: data.readUInt16BE(offset + 5) };
      offset += 2 + data.readUInt16BE(offset + 2);
    }
    return { type: 'jpeg', width: 0, height: 0 };
  }
  return { type: 'unknown', width: 0, height: 0 };
}
