/**
 * Bayes settings from configuration options (`bayes_*`, `use_bayes`), with
 * SpamAssassin 4.0.1's defaults.
 */
import { homedir } from 'node:os';
import { translatePerlRegex } from '../regex/perl-regex';
import type { BayesIgnoreLists } from './ignore';
import type { TokenizerConfig } from './tokenizer';

/** Options as the config parser stores them (a RuleSet's `options`, or a draft's map). */
export type OptionSource = ReadonlyMap<string, string | readonly string[]> | Readonly<Record<string, string | readonly string[]>>;

export interface BayesSettings {
  readonly useBayes: boolean;
  readonly useBayesRules: boolean;
  /** `bayes_path` with `~` expanded: hamlet's database is `<bayes_path>.sqlite`. */
  readonly path: string;
  readonly fileMode: string;
  readonly minSpam: number;
  readonly minHam: number;
  readonly autoExpire: boolean;
  readonly expiryMaxDbSize: number;
  readonly tokenizer: TokenizerConfig;
  /** `bayes_ignore_from` / `bayes_ignore_to` entries. */
  readonly ignore: BayesIgnoreLists;
  /** Which backend and where: stores/registry.ts reads it. */
  readonly store: BayesStoreSettings;
}

/** SpamAssassin's options for a Bayes store other than the file. */
export interface BayesStoreSettings {
  /** `bayes_store_module` ('' = the default, hamlet's SQLite file). */
  readonly module: string;
  /** `bayes_sql_dsn` (`DBI:Pg:dbname=...;host=...;port=...`), or Redis's `server=...;database=...`. */
  readonly dsn: string;
  readonly username: string;
  readonly password: string;
  /** `bayes_sql_override_username`: everyone shares this user's Bayes data. */
  readonly overrideUsername: string | undefined;
  /** `bayes_token_ttl` / `bayes_seen_ttl` in seconds (Redis: expiry by TTL). */
  readonly tokenTtl: number;
  readonly seenTtl: number;
}

/** A SpamAssassin duration: seconds, or a number with s/m/h/d/w; `dflt` when unreadable. */
export function durationSeconds(text: string | undefined, dflt: number): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/i.exec(text ?? '');
  if (!m) return dflt;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]!.toLowerCase() as '' | 's' | 'm' | 'h' | 'd' | 'w'];
  return Math.round(Number(m[1]) * unit);
}

/** SpamAssassin's built-in English stop words, used when no `bayes_stopword_en` is configured. */
const DEFAULT_STOPWORD_EN =
  "(?:a(?:ble|l(?:ready|l)|n[dy]|re)|b(?:ecause|oth)|c(?:an|ome)|e(?:ach|mail|ven)|f(?:ew|irst|or|rom)|give|h(?:a(?:ve|s)|ttp)|i(?:n(?:formation|to)|t\\'s)|just|know|l(?:ike|o(?:ng|ok))|m(?:a(?:de|il(?:(?:ing|to))?|ke|ny)|o(?:re|st)|uch)|n(?:eed|o[tw]|umber)|o(?:ff|n(?:ly|e)|ut|wn)|p(?:eople|lace)|right|s(?:ame|ee|uch)|t(?:h(?:at|is|rough|e)|ime)|using|w(?:eb|h(?:ere|y)|ith(?:out)?|or(?:ld|k))|y(?:ears?|ou(?:(?:\\'re|r))?))";

function get(o: OptionSource, name: string): string | readonly string[] | undefined {
  return o instanceof Map ? o.get(name) : (o as Record<string, string | readonly string[]>)[name];
}
function str(o: OptionSource, name: string): string | undefined {
  const v = get(o, name);
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[v.length - 1];
}
function list(o: OptionSource, name: string): readonly string[] {
  const v = get(o, name);
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}
/** Address-list entries: every option line, split on whitespace. */
function entries(o: OptionSource, name: string): string[] {
  return list(o, name).flatMap((l) => l.split(/\s+/)).filter((e) => e !== '');
}
function num(o: OptionSource, name: string, dflt: number): number {
  const s = str(o, name);
  const n = s === undefined ? NaN : Number(s.trim());
  return Number.isFinite(n) ? n : dflt;
}
function bool(o: OptionSource, name: string, dflt: boolean): boolean {
  const s = str(o, name);
  if (s === undefined) return dflt;
  return !/^\s*(?:0|no|false)?\s*$/i.test(s);
}

/** A stop-word pattern compiled to match whole (byte-string) tokens, case-insensitively. */
function stopwordRegex(perl: string): RegExp | undefined {
  const r = translatePerlRegex(`^(?:${perl.trim()})$`, 'i');
  return 'error' in r ? undefined : r.re;
}

/** The stop-word patterns `bayes_stopword_languages` selects, compiled. */
function stopwords(o: OptionSource): RegExp[] {
  const langs = (str(o, 'bayes_stopword_languages') ?? 'en').trim().toLowerCase();
  const out: RegExp[] = [];
  if (langs === 'disable') return out;
  for (const lang of langs.split(/[\s,]+/).filter(Boolean)) {
    const pat = str(o, `bayes_stopword_${lang}`) ?? (lang === 'en' ? DEFAULT_STOPWORD_EN : undefined);
    const re = pat === undefined ? undefined : stopwordRegex(pat);
    if (re) out.push(re);
  }
  return out;
}

/** A tokenizer configuration whose stop words are compiled when first read: most scans never tokenize (no Bayes database). */
function tokenizerConfig(o: OptionSource): TokenizerConfig {
  let compiled: RegExp[] | undefined;
  return {
    maxTokenLength: num(o, 'bayes_max_token_length', 15),
    ignoreHeaders: new Set(list(o, 'bayes_ignore_header').map((h) => h.toLowerCase())),
    get stopwords() {
      return (compiled ??= stopwords(o));
    },
    cjkWords: bool(o, 'bayes_cjk_words', true),
  };
}

export function bayesSettings(o: OptionSource): BayesSettings {
  const path = (str(o, 'bayes_path') ?? '~/.hamlet/bayes').trim().replace(/^~(?=\/|$)/, homedir());
  return {
    useBayes: bool(o, 'use_bayes', true) && bool(o, 'use_learner', true),
    useBayesRules: bool(o, 'use_bayes_rules', true),
    path,
    fileMode: (str(o, 'bayes_file_mode') ?? '0700').trim(),
    minSpam: num(o, 'bayes_min_spam_num', 200),
    minHam: num(o, 'bayes_min_ham_num', 200),
    autoExpire: bool(o, 'bayes_auto_expire', true),
    expiryMaxDbSize: num(o, 'bayes_expiry_max_db_size', 150000),
    ignore: { from: entries(o, 'bayes_ignore_from'), to: entries(o, 'bayes_ignore_to') },
    store: {
      module: (str(o, 'bayes_store_module') ?? '').trim(),
      dsn: (str(o, 'bayes_sql_dsn') ?? '').trim(),
      username: (str(o, 'bayes_sql_username') ?? '').trim(),
      password: (str(o, 'bayes_sql_password') ?? '').trim(),
      overrideUsername: str(o, 'bayes_sql_override_username')?.trim() || undefined,
      tokenTtl: durationSeconds(str(o, 'bayes_token_ttl'), 21 * 86400),
      seenTtl: durationSeconds(str(o, 'bayes_seen_ttl'), 8 * 86400),
    },
    tokenizer: tokenizerConfig(o),
  };
}
