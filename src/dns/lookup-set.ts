/**
 * One scan's DNS lookups: started as soon as their inputs are known, harvested once the
 * local rules have run. Each lookup has a deadline measured from its start that shrinks as the
 * set's other lookups answer (`rbl_timeout`); harvesting waits until every lookup has answered
 * or passed its deadline, then `result()` reads each synchronously.
 */
import type { Clock } from './cache';
import { DEFAULT_RBL_TIMEOUT, shrunkTimeout, type RblTimeout } from './rbl-timeout';
import { canonicalName, type DnsAnswer, type QueryType } from './types';
import { failure } from './wire';

/** What a lookup set needs from a resolver (the Resolver class, or a stand-in). */
export interface QueryFn {
  query(name: string, type: QueryType): Promise<DnsAnswer>;
}

export interface LookupSetOptions {
  /** The scan's `rbl_timeout` (default 15 s shrinking to 3 s). */
  readonly timeout?: RblTimeout;
  /** Milliseconds clock (tests move it). */
  readonly clock?: Clock;
}

/** One started lookup. */
export class Lookup {
  /** Settles with the answer, or with a TIMEOUT answer when the set gives up on it. */
  readonly promise: Promise<DnsAnswer>;
  private answer: DnsAnswer | undefined;
  private settle!: (a: DnsAnswer) => void;

  constructor(
    readonly name: string,
    readonly type: QueryType,
    /** Clock reading when it started. */
    readonly startedAt: number,
    /** The rbl_timeout that applies to it (a zone may have its own). */
    readonly timeout: RblTimeout,
    pending: Promise<DnsAnswer>,
  ) {
    this.promise = new Promise((resolve) => (this.settle = resolve));
    // A stand-in resolver may reject; the Resolver never does. Either way the lookup ends.
    pending.then(
      (a) => this.end(a),
      () => this.end(failure(name, type, 'ERROR')),
    );
  }

  /** The answer once there is one (TIMEOUT once given up on); undefined while pending. */
  result(): DnsAnswer | undefined {
    return this.answer;
  }

  get done(): boolean {
    return this.answer !== undefined;
  }

  /** Give up on it: it reads as TIMEOUT from now on. */
  expire(): void {
    this.end(failure(this.name, this.type, 'TIMEOUT'));
  }

  private end(a: DnsAnswer): void {
    if (this.answer) return;
    this.answer = a;
    this.settle(a);
  }
}

export class LookupSet {
  private readonly byKey = new Map<string, Lookup>();
  private readonly timeout: RblTimeout;
  private readonly clock: Clock;

  constructor(
    private readonly resolver: QueryFn,
    opts: LookupSetOptions = {},
  ) {
    this.timeout = opts.timeout ?? DEFAULT_RBL_TIMEOUT;
    this.clock = opts.clock ?? Date.now;
  }

  /**
   * Start a lookup of (name, type), or return the one this scan already started: a message
   * asks each name once however many rules want it. `timeout` overrides the set's for it
   * (SpamAssassin's per-zone `rbl_timeout`).
   */
  start(name: string, type: QueryType, timeout?: RblTimeout): Lookup {
    const qname = canonicalName(name);
    const key = `${type} ${qname}`;
    let l = this.byKey.get(key);
    if (!l) {
      l = new Lookup(qname, type, this.clock(), timeout ?? this.timeout, this.resolver.query(qname, type));
      this.byKey.set(key, l);
    }
    return l;
  }

  /** The lookup of (name, type) if this scan started one. */
  get(name: string, type: QueryType): Lookup | undefined {
    return this.byKey.get(`${type} ${canonicalName(name)}`);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** How many lookups ended with each status (`pending`: not ended yet), for hamletd's metrics. */
  outcomes(): Record<string, number> {
    const n: Record<string, number> = {};
    for (const l of this.byKey.values()) {
      const k = l.result()?.status ?? 'pending';
      n[k] = (n[k] ?? 0) + 1;
    }
    return n;
  }

  /** Lookups still waiting for an answer. */
  get pending(): number {
    let n = 0;
    for (const l of this.byKey.values()) if (!l.done) n++;
    return n;
  }

  /**
   * Clock reading at which `l` is given up on, with the set as it stands: its own start plus
   * its timeout shrunk by the share of the set's lookups that have ended.
   */
  deadline(l: Lookup): number {
    return this.deadlineWith(l, this.byKey.size - this.pending);
  }

  /** Expire every pending lookup whose deadline has passed; true when any was. */
  expireDue(): boolean {
    let any = false;
    // Each expiry shrinks the others' deadlines: repeat until nothing more is due.
    for (let again = true; again; ) {
      again = false;
      const now = this.clock();
      let done = this.byKey.size - this.pending;
      for (const l of this.byKey.values()) {
        if (!l.done && this.deadlineWith(l, done) <= now) {
          l.expire();
          done++;
          again = any = true;
        }
      }
    }
    return any;
  }

  /** Wait until every lookup has answered or passed its deadline (lookups started meanwhile included). */
  async harvest(): Promise<void> {
    // Read what arrived while the caller ran synchronously before judging any deadline.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      this.expireDue();
      const waiting = [...this.byKey.values()].filter((l) => !l.done);
      if (waiting.length === 0) return;
      const done = this.byKey.size - waiting.length;
      let next = Infinity;
      for (const l of waiting) next = Math.min(next, this.deadlineWith(l, done));
      let timer: NodeJS.Timeout | undefined;
      const due = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, next - this.clock()))));
      await Promise.race([due, ...waiting.map((l) => l.promise)]);
      clearTimeout(timer);
    }
  }

  private deadlineWith(l: Lookup, done: number): number {
    return l.startedAt + Math.round(shrunkTimeout(l.timeout, done, this.byKey.size) * 1000);
  }

  /** Give up on everything still pending (the scan is over). */
  abandon(): void {
    for (const l of this.byKey.values()) l.expire();
  }
}
