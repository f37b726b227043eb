/**
 * One scan's network state: the DNS lookups its rules started, the other waits (SPF, DKIM and
 * DMARC through mailauth), and what each network area keeps between starting its lookups and
 * reading their answers. The check pipeline builds one per scan when network tests are on,
 * lets each network rule start what it needs (`NetEvalHooks.start`) before the local rules
 * run, harvests it after them, and then runs the network rules, which read answers from here
 * synchronously (`ScanContext.net`).
 */
import type { OptionValues } from '../options/option-values';
import type { ParseOptions } from '../message/parse';
import type { Message } from '../message/types';
import type { Clock } from './cache';
import { LookupSet, type Lookup, type QueryFn } from './lookup-set';
import { queryAllowed, timeoutForName } from './query-policy';
import type { DnsSettings } from './settings';
import type { QueryType } from './types';

/** What a scan's network state is built from. */
export interface NetScanInit {
  readonly msg: Message;
  /** The rule set's options (zones, skip lists, welcomelists, `trusted_networks`...). */
  readonly options: OptionValues;
  /** How the message was parsed (TLD lists, networks). */
  readonly parseOptions: ParseOptions;
  readonly settings: DnsSettings;
  /** The process's resolver (shared cache and in-flight queries). */
  readonly resolver: QueryFn;
  /** Zones whose queries are blocked for now (`dns_block_rule`), by lower-case domain. */
  readonly blocked?: (name: string) => boolean;
  /** Milliseconds clock (tests move it). */
  readonly clock?: Clock;
}

/** A wait that is not a DNS lookup (mailauth's promise), harvested with the lookups. */
export class NetWait<T> {
  private value: T | undefined;
  private failed: Error | undefined;
  private settled = false;
  private gaveUp = false;
  readonly promise: Promise<void>;

  constructor(
    readonly key: string,
    readonly startedAt: number,
    /** Clock reading past which a late result is given up on (rbl_timeout from its start). */
    readonly deadline: number,
    work: Promise<T>,
    clock: Clock,
  ) {
    // A result that comes at or past the deadline counts as given up, whichever callback runs
    // first: the lookups expiring at the same deadline can let the work finish in the same turn.
    const late = (): boolean => this.gaveUp || (clock() >= deadline && (this.gaveUp = true));
    this.promise = work.then(
      (v) => {
        if (!late()) [this.value, this.settled] = [v, true];
      },
      (e: unknown) => {
        if (!late()) [this.failed, this.settled] = [e instanceof Error ? e : new Error(String(e)), true];
      },
    );
  }

  /** The value once it settled in time; undefined while pending, after a failure, or when given up on. */
  result(): T | undefined {
    return this.value;
  }

  /** Why it failed, when it did. */
  error(): Error | undefined {
    return this.failed;
  }

  /** True once it settled or was given up on. */
  get done(): boolean {
    return this.settled || this.gaveUp;
  }

  /** True when the harvest gave up on it (its answer came too late or never). */
  get timedOut(): boolean {
    return this.gaveUp;
  }

  giveUp(): void {
    if (!this.settled) this.gaveUp = true;
  }
}

export class NetScan {
  readonly msg: Message;
  readonly options: OptionValues;
  readonly parseOptions: ParseOptions;
  readonly settings: DnsSettings;
  readonly lookups: LookupSet;
  /** Template tags the network areas fill (`RBL`, `SPFRESULT`, `DKIMDOMAIN`...), by name without underscores. */
  readonly tags = new Map<string, string>();
  private readonly areaState = new Map<string, unknown>();
  private readonly waits = new Map<string, NetWait<unknown>>();
  private readonly clock: Clock;
  private readonly blocked: (name: string) => boolean;
  /** Queries refused by `dns_query_restriction` or `dns_block_rule` (for `-D dns` and tests). */
  readonly refused: string[] = [];
  /** Report lines under a hit rule (`45.67.89.10 listed in zen.spamhaus.org`), keyed by the rule's arguments. */
  private readonly hitNotes = new WeakMap<object, string[]>();

  constructor(init: NetScanInit) {
    this.msg = init.msg;
    this.options = init.options;
    this.parseOptions = init.parseOptions;
    this.settings = init.settings;
    this.clock = init.clock ?? Date.now;
    this.blocked = init.blocked ?? (() => false);
    this.lookups = new LookupSet(init.resolver, { timeout: init.settings.rblTimeout, clock: this.clock });
  }

  /**
   * Start a lookup of (name, type), once per scan, with the `rbl_timeout` of its zone; undefined
   * when `dns_query_restriction` denies it or a `dns_block_rule` hit blocks its zone.
   */
  query(name: string, type: QueryType): Lookup | undefined {
    if (!queryAllowed(name, this.settings.queryRestrictions) || this.blocked(name)) {
      this.refused.push(`${type} ${name}`);
      return undefined;
    }
    return this.lookups.start(name, type, timeoutForName(name, this.settings.rblTimeout, this.settings.rblTimeoutByZone));
  }

  /**
   * Note what made a rule hit, for the report's line under it. `key` is the rule's argument
   * list (an eval's `args`: one object per compiled rule), which is all an eval knows of its rule.
   */
  note(key: object, text: string): void {
    const list = this.hitNotes.get(key);
    if (!list) this.hitNotes.set(key, [text]);
    else if (!list.includes(text)) list.push(text);
  }

  /** The notes made under `key`, if any. */
  notes(key: object): readonly string[] | undefined {
    return this.hitNotes.get(key);
  }

  /** The lookup of (name, type) this scan started, if any. */
  lookup(name: string, type: QueryType): Lookup | undefined {
    return this.lookups.get(name, type);
  }

  /** An area's state for this scan (each area under its own key), created on first use. */
  state<T>(key: string, init: () => T): T {
    if (this.areaState.has(key)) return this.areaState.get(key) as T;
    const v = init();
    this.areaState.set(key, v);
    return v;
  }

  /** Start a non-DNS wait under `key`, once per scan (later calls get the first one). */
  wait<T>(key: string, start: () => Promise<T>): NetWait<T> {
    let w = this.waits.get(key) as NetWait<T> | undefined;
    if (!w) {
      let work: Promise<T>;
      try {
        work = start();
      } catch (e) {
        work = Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      const now = this.clock();
      w = new NetWait(key, now, now + this.settings.rblTimeout.t * 1000, work, this.clock);
      this.waits.set(key, w as NetWait<unknown>);
    }
    return w;
  }

  /** The wait started under `key`, if any. */
  waitFor<T>(key: string): NetWait<T> | undefined {
    return this.waits.get(key) as NetWait<T> | undefined;
  }

  /**
   * Wait until every lookup and wait has ended or passed its deadline (`rbl_timeout`, shrinking
   * as answers arrive; a wait gets the full general timeout), or for at most `maxWaitMs` (what is
   * left of the scan's own time limit) if that comes first. Never rejects.
   */
  async harvest(maxWaitMs = Infinity): Promise<void> {
    // Answers that arrived while the local rules ran are read before any deadline is judged.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const waitsDone = (async () => {
      for (const w of this.waits.values()) {
        if (w.done) continue;
        const left = w.deadline - this.clock();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([w.promise, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, left))))]);
        clearTimeout(timer);
        w.giveUp();
      }
    })();
    const all = Promise.all([this.lookups.harvest(), waitsDone]);
    if (maxWaitMs === Infinity) {
      await all;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, maxWaitMs))))]);
    clearTimeout(timer);
    this.abandon();
  }

  /** Give up on everything still pending. */
  abandon(): void {
    this.lookups.abandon();
    for (const w of this.waits.values()) w.giveUp();
  }

  /** True when a non-DNS wait was started. */
  get hasWaits(): boolean {
    return this.waits.size > 0;
  }

  /** How many DNS lookups this scan started (one per name and type). */
  get queryCount(): number {
    return this.lookups.size;
  }
}
