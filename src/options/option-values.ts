/**
 * Option values as the config parser stores them, and typed accessors for
 * eval functions and the scanner. Scalar options keep their last value (a
 * string, as written); list options collect every token of every line, in order.
 * Old names (`whitelist_*`, `blacklist_*`, `auto_whitelist_*`) are stored under the new ones.
 */

/** Options by canonical name. */
export type OptionValues = Readonly<Record<string, string | readonly string[]>>;

/** SpamAssassin 4 renamed the lists; both spellings are accepted and stored under the new one. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  whitelist_from: 'welcomelist_from',
  unwhitelist_from: 'unwelcomelist_from',
  whitelist_from_rcvd: 'welcomelist_from_rcvd',
  def_whitelist_from_rcvd: 'def_welcomelist_from_rcvd',
  whitelist_allows_relays: 'welcomelist_allows_relays',
  unwhitelist_from_rcvd: 'unwelcomelist_from_rcvd',
  blacklist_from: 'blocklist_from',
  unblacklist_from: 'unblocklist_from',
  whitelist_to: 'welcomelist_to',
  blacklist_to: 'blocklist_to',
  whitelist_auth: 'welcomelist_auth',
  def_whitelist_auth: 'def_welcomelist_auth',
  unwhitelist_auth: 'unwelcomelist_auth',
  whitelist_dkim: 'welcomelist_dkim',
  def_whitelist_dkim: 'def_welcomelist_dkim',
  whitelist_from_spf: 'welcomelist_from_spf',
  def_whitelist_from_spf: 'def_welcomelist_from_spf',
  whitelist_from_dkim: 'welcomelist_from_dkim',
  def_whitelist_from_dkim: 'def_welcomelist_from_dkim',
  whitelist_subject: 'welcomelist_subject',
  blacklist_subject: 'blocklist_subject',
  whitelist_bounce_relays: 'welcomelist_bounce_relays',
  whitelist_uri_host: 'welcomelist_uri_host',
  blacklist_uri_host: 'blocklist_uri_host',
  freemail_whitelist: 'freemail_welcomelist',
  use_auto_whitelist: 'use_auto_welcomelist',
  auto_whitelist_factor: 'auto_welcomelist_factor',
  auto_whitelist_ipv4_mask_len: 'auto_welcomelist_ipv4_mask_len',
  auto_whitelist_ipv6_mask_len: 'auto_welcomelist_ipv6_mask_len',
  auto_whitelist_path: 'auto_welcomelist_path',
  auto_whitelist_file_mode: 'auto_welcomelist_file_mode',
  auto_whitelist_factory: 'auto_welcomelist_factory',
  auto_whitelist_db_modules: 'auto_welcomelist_db_modules',
  auto_whitelist_distinguish_signed: 'auto_welcomelist_distinguish_signed',
};

/**
 * Options whose lines accumulate. Each value is the list of whitespace-separated
 * tokens of every line, lower-cased where SpamAssassin compares case-insensitively.
 * `*_rcvd` lists store one `address domain` pair per entry (space-joined).
 */
export const LIST_OPTIONS: ReadonlySet<string> = new Set([
  'welcomelist_from', 'unwelcomelist_from', 'def_welcomelist_from_rcvd', 'welcomelist_from_rcvd',
  'welcomelist_allows_relays', 'blocklist_from', 'unblocklist_from', 'welcomelist_to', 'more_spam_to',
  'all_spam_to', 'blocklist_to', 'welcomelist_auth', 'def_welcomelist_auth', 'welcomelist_subject',
  'blocklist_subject', 'welcomelist_bounce_relays', 'welcomelist_uri_host', 'blocklist_uri_host',
  'freemail_domains', 'freemail_welcomelist', 'util_rb_tld', 'util_rb_2tld', 'util_rb_3tld',
  'trusted_networks', 'internal_networks', 'msa_networks', 'originating_ip_headers',
  'redirector_pattern', 'url_shortener', 'url_shortener_get', 'ok_locales', 'ok_languages',
  'bayes_ignore_header', 'bayes_ignore_from', 'bayes_ignore_to', 'uridnsbl_skip_domain',
  'uridnsbl_skip_domains', 'enlist_uri_host', 'delist_uri_host', 'fns_ignore_dkim', 'fns_ignore_headers',
  'welcomelist_from_spf', 'def_welcomelist_from_spf', 'def_welcomelist_from', 'report_safe_copy_headers',
  'hashbl_ignore',
]);

/**
 * Internal list: every `add_header`, `remove_header`, `clear_headers` and `report_safe`
 * line in the order read (`directive value`), since together they build the header list.
 */
export const HEADER_OPS_OPTION = '@header_ops';

/** Internal list: the URI blocklist definitions, one `directive NAME zone type [subtest]` line each (src/dns/uri-list-defs.ts). */
export const URI_LISTS_OPTION = '@uri_lists';

/** List options whose entries are whole lines (templates, patterns, address/domain pairs), not tokens. */
export const LINE_LIST_OPTIONS: ReadonlySet<string> = new Set([
  'add_header', 'remove_header', 'rewrite_header', 'report', 'unsafe_report', 'redirector_pattern', HEADER_OPS_OPTION,
  'welcomelist_from_rcvd', 'def_welcomelist_from_rcvd', 'enlist_uri_host', 'delist_uri_host', 'enlist_addrlist',
  'originating_ip_headers', 'url_shortener_get', 'welcomelist_subject', 'blocklist_subject',
  // `author [signing-domain]` pairs, and `domain [practice]` (src/eval/auth-*.ts).
  'welcomelist_from_dkim', 'def_welcomelist_from_dkim', 'adsp_override',
  // DNS settings read line by line, in order (src/dns/settings.ts): later lines add or override.
  // (Also the scalars: a bad last line then leaves the last good one in force, as in SpamAssassin.)
  'dns_server', 'dns_options', 'rbl_timeout', 'dns_query_restriction', 'dns_block_rule', 'dns_block_time',
  'dns_available', 'skip_rbl_checks', 'skip_uribl_checks',
  URI_LISTS_OPTION,
]);

/** Last value of a scalar option, or undefined when never set. */
export function optString(o: OptionValues, name: string): string | undefined {
  const v = o[name];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : v[v.length - 1];
}

/** Entries of a list option (empty when never set). */
export function optList(o: OptionValues, name: string): readonly string[] {
  const v = o[name];
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : v;
}

/** A numeric option, or `dflt` when unset or not a number. */
export function optNumber(o: OptionValues, name: string, dflt: number): number {
  const s = optString(o, name);
  if (s === undefined) return dflt;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : dflt;
}

/** A boolean option (`1`/`0`, `yes`/`no`, `true`/`false`), or `dflt` when unset. */
export function optBool(o: OptionValues, name: string, dflt: boolean): boolean {
  const s = optString(o, name)?.trim().toLowerCase();
  if (s === undefined || s === '') return dflt;
  return !(s === '0' || s === 'no' || s === 'false' || s === 'off');
}
