/**
 * Which connections hamletd holds, and who makes room when it is full.
 *
 * Two caps: all connections (`--max-conn`) and connections from one client
 * address (`--max-conn-per-ip`). A fresh client is not refused while a slot is
 * held by something less useful: when a cap is reached, the connection that has
 * finished its reply goes first, then the request reader that has been idle
 * longest (a client trickling bytes sits idle almost all the time, a real client
 * sends its request in one go). Only when every connection in the way is being
 * scanned is the newcomer refused. Pure bookkeeping: the server closes sockets.
 */

/** Where a connection is in its lifecycle, as far as eviction cares. */
export type ConnState = 'reading' | 'busy' | 'done';

export interface ConnEntry {
  /** The client address (`unix` for a unix socket). */
  readonly key: string;
  state: ConnState;
  /** When the last bytes arrived (or the connection was accepted). */
  lastActivity: number;
  /** Called when the table evicts this connection to make room. */
  readonly evict: (why: 'per-ip' | 'global') => void;
}

export type Admission = { readonly ok: true; readonly entry: ConnEntry } | { readonly ok: false; readonly why: 'per-ip' | 'global' };

export class ConnectionTable {
  private readonly all = new Set<ConnEntry>();
  private readonly byKey = new Map<string, Set<ConnEntry>>();
  /** Connections evicted and refused so far (tests and logs read these). */
  readonly counts = { evicted: 0, refused: 0 };

  /** `maxPerKey` 0: no per-address cap. */
  constructor(
    private readonly maxTotal: number,
    private readonly maxPerKey: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** Connections not yet answered (reading or being scanned). */
  get active(): number {
    let n = 0;
    for (const e of this.all) if (e.state !== 'done') n++;
    return n;
  }

  /** Admit a connection from `key`, evicting another one if a cap is reached. */
  admit(key: string, evict: ConnEntry['evict']): Admission {
    const mine = this.byKey.get(key);
    if (this.maxPerKey > 0 && mine && mine.size >= this.maxPerKey && !this.makeRoom(mine, 'per-ip')) return this.refuse('per-ip');
    if (this.all.size >= this.maxTotal && !this.makeRoom(this.all, 'global')) return this.refuse('global');
    const entry: ConnEntry = { key, state: 'reading', lastActivity: this.now(), evict };
    this.all.add(entry);
    if (mine) mine.add(entry);
    else this.byKey.set(key, new Set([entry]));
    return { ok: true, entry };
  }

  /** Bytes arrived on `entry`. */
  touch(entry: ConnEntry): void {
    entry.lastActivity = this.now();
  }

  /** The connection is gone (idempotent). */
  release(entry: ConnEntry): void {
    if (!this.all.delete(entry)) return;
    const set = this.byKey.get(entry.key);
    set?.delete(entry);
    if (set?.size === 0) this.byKey.delete(entry.key);
  }

  private refuse(why: 'per-ip' | 'global'): Admission {
    this.counts.refused++;
    return { ok: false, why };
  }

  /** Evict the least useful connection among `among`; false when all are busy. */
  private makeRoom(among: Iterable<ConnEntry>, why: 'per-ip' | 'global'): boolean {
    let victim: ConnEntry | undefined;
    for (const e of among) {
      if (e.state === 'busy') continue;
      if (!victim || rank(e) < rank(victim) || (rank(e) === rank(victim) && e.lastActivity < victim.lastActivity)) victim = e;
    }
    if (!victim) return false;
    this.release(victim);
    this.counts.evicted++;
    victim.evict(why);
    return true;
  }
}

/** Finished connections go before readers. */
const rank = (e: ConnEntry): number => (e.state === 'done' ? 0 : 1);
