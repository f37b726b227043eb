/**
 * Auto-welcomelist settings from configuration, with SpamAssassin 4.0.1's
 * defaults. The 3.x `*_whitelist*` spellings are stored under the 4.x names by
 * the config parser (options/option-values.ts OPTION_ALIASES), so only those are read here.
 */
import { homedir } from 'node:os';
import { optBool, optNumber, optString, type OptionValues } from '../options/option-values';

export interface AwlSettings {
  /** `use_auto_welcomelist` (default 1). The AWL runs only when the AWL plugin's rule is also defined. */
  readonly enabled: boolean;
  /** `auto_welcomelist_factor` (0.5), clamped to [0, 1]. */
  readonly factor: number;
  /** `auto_welcomelist_ipv4_mask_len` (16); a value outside [0, 32] is ignored (SpamAssassin rejects it). */
  readonly ipv4MaskLen: number;
  /** `auto_welcomelist_ipv6_mask_len` (48); a value outside [0, 128] is ignored. */
  readonly ipv6MaskLen: number;
  /**
   * `auto_welcomelist_path` with `~` expanded (default `~/.spamassassin/auto-welcomelist`).
   * hamlet's database is `<path>.sqlite`, so SpamAssassin's own DB_File at `path` is never touched.
   */
  readonly path: string;
  /** The SQLite file: `path` + `.sqlite`. */
  readonly dbFile: string;
  /** `auto_welcomelist_file_mode` (`0700`), octal; a new file gets it without execute bits. */
  readonly fileMode: number;
  /** `auto_welcomelist_distinguish_signed` (0): keep separate entries per DKIM signer. */
  readonly distinguishSigned: boolean;
  /** `user_awl_sql_override_username`: one shared list under this name instead of per user. */
  readonly overrideUsername: string | undefined;
  /** `auto_welcomelist_factory` (3.x `auto_whitelist_factory`); '' = the default file store. */
  readonly factory: string;
  /** `user_awl_dsn`, `user_awl_sql_username`, `user_awl_sql_password`, `user_awl_sql_table` (default `awl`). */
  readonly sql: { readonly dsn: string; readonly username: string; readonly password: string; readonly table: string };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function maskLen(o: OptionValues, name: string, dflt: number, max: number): number {
  const n = optNumber(o, name, dflt);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : dflt;
}

/** Expand a leading `~` the way SpamAssassin expands its paths. */
export function expandHome(p: string, home: string = homedir()): string {
  return p.replace(/^~(?=\/|$)/, home);
}

/** Read the AWL settings from a rule set's options. */
export function awlSettings(o: OptionValues, home?: string): AwlSettings {
  const path = expandHome((optString(o, 'auto_welcomelist_path') ?? '~/.spamassassin/auto-welcomelist').trim(), home);
  const mode = parseInt((optString(o, 'auto_welcomelist_file_mode') ?? '0700').trim(), 8);
  return {
    enabled: optBool(o, 'use_auto_welcomelist', true),
    factor: clamp(optNumber(o, 'auto_welcomelist_factor', 0.5), 0, 1),
    ipv4MaskLen: maskLen(o, 'auto_welcomelist_ipv4_mask_len', 16, 32),
    ipv6MaskLen: maskLen(o, 'auto_welcomelist_ipv6_mask_len', 48, 128),
    path,
    dbFile: `${path}.sqlite`,
    fileMode: Number.isFinite(mode) ? mode : 0o700,
    distinguishSigned: optBool(o, 'auto_welcomelist_distinguish_signed', false),
    overrideUsername: optString(o, 'user_awl_sql_override_username')?.trim() || undefined,
    factory: (optString(o, 'auto_welcomelist_factory') ?? '').trim(),
    sql: {
      dsn: (optString(o, 'user_awl_dsn') ?? '').trim(),
      username: (optString(o, 'user_awl_sql_username') ?? '').trim(),
      password: (optString(o, 'user_awl_sql_password') ?? '').trim(),
      table: (optString(o, 'user_awl_sql_table') ?? '').trim() || 'awl',
    },
  };
}
