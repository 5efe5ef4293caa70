/**
 * The users browsers run as when the server is root, from a configurable range of ids: the range's first id is the
 * gid all browsers share, the others are uids, one per session, held for the session's life (a second InitBrowser
 * in the same session gets the same one, so its profile stays its own) and given back when the session goes.
 *
 * A uid per session rather than one shared browser uid, so that one session's Chromium can neither signal, trace
 * nor read the profile of another's. One shared gid because an unprivileged bubblewrap must reach the session
 * directories through the server's data directory, which is closed to everyone else (mode 0710, this group).
 */
import { readFileSync } from 'node:fs';
import type { RunAs } from '../sandbox';

export interface UidRange {
  first: number;
  count: number;
}

/**
 * Far above the ids distributions hand out (users from 1000, system ids below 1000, rootless containers' subuid
 * ranges from 100000 in steps of 65536), and below 2^31, which some tools still treat as the largest id.
 */
export const DEFAULT_BROWSER_UIDS: UidRange = { first: 1_999_000_000, count: 65_536 };
const MAX_ID = 2 ** 31 - 2;

/** `<first>-<last>` (inclusive), as the CLI takes it; throws naming the expected form. */
export function parseUidRange(text: string, field: string): UidRange {
  const match = /^(\d{1,10})-(\d{1,10})$/.exec(text.trim());
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || first < 1000 || last <= first || last > MAX_ID) {
    throw new Error(`${field} must be <first>-<last>, two ids from 1000 to ${MAX_ID}, first < last (e.g. ${DEFAULT_BROWSER_UIDS.first}-${DEFAULT_BROWSER_UIDS.first + DEFAULT_BROWSER_UIDS.count - 1})`);
  }
  return { first, count: last - first + 1 };
}

/** Ids named in the host's /etc/passwd or /etc/group: taken by someone, never handed to a browser. */
function hostIds(): Set<number> {
  const ids = new Set<number>();
  for (const file of ['/etc/passwd', '/etc/group']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const id = Number(line.split(':')[2]);
      if (line !== '' && Number.isInteger(id)) ids.add(id);
    }
  }
  return ids;
}

export class BrowserUsers {
  private readonly bySession = new Map<string, number>();
  private readonly taken = new Set<number>();
  private readonly reserved = hostIds();

  constructor(private readonly range: UidRange = DEFAULT_BROWSER_UIDS) {
    if (range.first < 1000 || range.count < 2 || range.first + range.count - 1 > MAX_ID) {
      throw new Error(`browserUids must be from 1000 to ${MAX_ID}, with at least two ids (a gid and a uid)`);
    }
  }

  /** The session's browser user, taking the lowest free id on first use; throws when the range is used up. */
  of(sessionId: string): RunAs {
    let uid = this.bySession.get(sessionId);
    if (uid === undefined) {
      uid = this.free();
      this.bySession.set(sessionId, uid);
      this.taken.add(uid);
    }
    return { uid, gid: this.gid };
  }

  /** The gid every browser runs with. */
  get gid(): number {
    return this.range.first;
  }

  /** The session is gone (and its browser with it): its id is free again. */
  release(sessionId: string): void {
    const uid = this.bySession.get(sessionId);
    if (uid === undefined) return;
    this.bySession.delete(sessionId);
    this.taken.delete(uid);
  }

  private free(): number {
    const end = this.range.first + this.range.count;
    for (let uid = this.range.first + 1; uid < end; uid += 1) {
      if (!this.taken.has(uid) && !this.reserved.has(uid)) return uid;
    }
    throw new Error(`all ${this.range.count - 1} browser user ids (${this.range.first + 1}-${end - 1}) are in use by other sessions`);
  }
}
