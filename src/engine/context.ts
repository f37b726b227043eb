/** Per-scan state, small and typed. Built for one message, dropped after the scan. */
import { toByteString } from '../message/charset';
import { headerRuleText, headerText, type HeaderRequest } from '../message/header-access';
import type { Message } from '../message/types';
import type { OptionValues } from '../options/option-values';
import type { NetScan } from '../dns/net-scan';
import type { EvalFailure, ScanBayes } from './types';

/** Settings a scan reads (from the rule set's options). */
export interface ScanSettings {
  readonly requiredScore: number;
  /** Seconds; 0 = no limit. */
  readonly timeLimit: number;
  /** Every option by canonical name (read with optString/optList/optNumber from options/option-values). */
  readonly options: OptionValues;
  /** `score` / `describe` lines given for TIME_LIMIT_EXCEEDED, which no rule defines. */
  readonly timeLimitRule?: { readonly scores?: readonly number[]; readonly describe?: string };
}

/** A character beyond ASCII: a text without one can be matched with a rule's ASCII form. */
export const NON_ASCII = /[^\x00-\x7f]/;

export class ScanContext {
  /** Hit counts by rule name (sub-rules included); absent = not hit (yet). */
  readonly counts = new Map<string, number>();
  /** Per-plugin state, each plugin under its own key. */
  readonly pluginState = new Map<string, unknown>();
  private bodyBytes: string[] | undefined;
  private uriStrings: string[] | undefined;
  private headerCache = new Map<string, string | undefined>();
  private asciiFlags = new Map<string, Uint8Array>();
  /** Capture tags set by rules that hit (rule captures), each value once; created on the first capturing rule. */
  captures: Map<string, string[]> | undefined;
  /** Evals that threw in this scan, by rule name (first failure of each rule); created on the first. */
  evalFailures: Map<string, EvalFailure> | undefined;
  /** The Bayes classifier for this scan, when one was given (`ScanOptions.bayes`). */
  bayes: ScanBayes | undefined;
  /** The scan's network state when network tests are on (network evals read their answers here). */
  net: NetScan | undefined;

  constructor(
    readonly msg: Message,
    readonly settings: ScanSettings,
    readonly deadline: number,
  ) {}

  /** `body` lines as byte strings (UTF-8 bytes as latin1), what body regexes match. */
  bodyLines(): readonly string[] {
    return (this.bodyBytes ??= this.msg.bodyText.map(toByteString));
  }

  /** `rawbody` chunks: already byte strings. */
  rawBodyLines(): readonly string[] {
    return this.msg.rawBodyText;
  }

  /** The URI strings `uri` rules match (every canonical variant), as bytes. */
  uriLines(): readonly string[] {
    return (this.uriStrings ??= this.msg.uriList.map(toByteString));
  }

  /** Per line of an area: 1 when it has no byte >= 0x80 (its rules can use their ASCII forms). */
  asciiLines(area: 'body' | 'rawbody' | 'uri'): Uint8Array {
    let flags = this.asciiFlags.get(area);
    if (!flags) {
      const lines = area === 'body' ? this.bodyLines() : area === 'rawbody' ? this.rawBodyLines() : this.uriLines();
      flags = Uint8Array.from(lines, (l) => (NON_ASCII.test(l) ? 0 : 1));
      this.asciiFlags.set(area, flags);
    }
    return flags;
  }

  /** A header's scalar value as bytes (what evals read); undefined when the header is absent. */
  header(req: HeaderRequest, key: string): string | undefined {
    return this.cachedHeader(req, key, headerText);
  }

  /** A header rule's subject string as bytes (every address of `:addr`, one per line); undefined when absent. */
  ruleHeader(req: HeaderRequest, key: string): string | undefined {
    return req.addr || req.displayName ? this.cachedHeader(req, `rule:${key}`, headerRuleText) : this.cachedHeader(req, key, headerText);
  }

  private cachedHeader(req: HeaderRequest, key: string, read: (msg: Message, req: HeaderRequest) => string | undefined): string | undefined {
    if (this.headerCache.has(key)) return this.headerCache.get(key);
    const v = read(this.msg, req);
    // `:raw` values and addresses (taken from the raw text) are byte strings already; decoded text is Unicode.
    const bytes = v === undefined ? undefined : req.raw || req.addr ? v : toByteString(v);
    this.headerCache.set(key, bytes);
    return bytes;
  }

  /** A per-message value computed once under `key` (evals share work this way; keys are prefixed by area). */
  memo<T>(key: string, compute: () => T): T {
    if (this.pluginState.has(key)) return this.pluginState.get(key) as T;
    const v = compute();
    this.pluginState.set(key, v);
    return v;
  }

  /** True once the scan's time limit has passed. */
  expired(): boolean {
    return this.deadline > 0 && performance.now() > this.deadline;
  }

  /** Set while some sub-rules are decided on demand (lazy-subrules.ts): a count read first decides its rule. */
  onDemand: { beforeCount(name: string): void } | undefined;

  /** Count of a rule's hits (0 when it did not hit). */
  count(name: string): number {
    this.onDemand?.beforeCount(name);
    return this.counts.get(name) ?? 0;
  }
}
