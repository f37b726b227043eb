/**
 * Where Bayes and AWL plug into hamletd, once they exist. A provider module
 * (`hamletd --provider <module>`) is loaded in every scan worker; it exports
 * `createProvider(rules)` returning a `ScanProvider`. Without one, scans run
 * with the rule set alone and TELL learns nothing (answered as spamd answers
 * when it could not learn: no `DidSet`/`DidRemove` header).
 */
import type { RuleSet } from '../config/compile';
import type { CheckOptions } from '../report/check';
import type { TellRequest } from './request';

/** What a provider is told about one request. */
export interface ScanRequestInfo {
  /** The `User` header, when sent. */
  readonly user: string | undefined;
  /** The user's preferences directory, when one was found. */
  readonly userDir: string | undefined;
  readonly raw: Buffer;
  readonly rules: RuleSet;
}

/** Per-request additions to a scan, and learning for TELL. */
export interface ScanProvider {
  /** Extra check options (Bayes probability and details, AWL tags, autolearn result). */
  optionsFor?(req: ScanRequestInfo): Partial<CheckOptions>;
  /** Learn or forget a message; returns what was done, as spamd's DidSet/DidRemove values. */
  tell?(req: ScanRequestInfo, tell: TellRequest): { readonly didSet: readonly string[]; readonly didRemove: readonly string[] };
}

/** The shape of a provider module. */
export interface ProviderModule {
  createProvider(rules: RuleSet): ScanProvider;
}
