/**
 * SpamAssassin plugins hamlet implements: a `loadplugin` of one of these makes `ifplugin` true.
 * Any other plugin (Razor2, Pyzor, DCC, PDFInfo, TextCat, ASN, FromNameSpoof, AntiVirus,
 * URIDetail, DecodeShortURLs, Shortcircuit, ...) is not loaded: its `ifplugin` blocks stay off,
 * as in a SpamAssassin that does not load it, and `--lint` says so.
 * Rule2XSBody only speeds body rules up; hamlet's literal prefilter does that job.
 */
const P = 'Mail::SpamAssassin::Plugin::';

export const KNOWN_PLUGINS: ReadonlySet<string> = new Set(
  [
    'Check', 'HTMLEval', 'HeaderEval', 'BodyEval', 'MIMEEval', 'RelayEval', 'WLBLEval', 'VBounce', 'FreeMail',
    'ReplaceTags', 'MIMEHeader', 'URIEval', 'HTTPSMismatch', 'WelcomeListSubject', 'AutoLearnThreshold', 'Bayes',
    'AWL', 'Rule2XSBody', 'ImageInfo',
    // network tests (src/check, src/dns): they run unless -L / dns_available no
    'DNSEval', 'URIDNSBL', 'SPF', 'DKIM', 'DMARC', 'AskDNS', 'HashBL',
  ].map((n) => P + n),
);

/**
 * `can(Mail::SpamAssassin::Conf::feature_*)` switches SpamAssassin 4.0.1 answers true for that
 * hamlet implements (each has a test in test/config/plugins.test.ts). Left out: dns_local_ports
 * avoidance, GeoDB, `rules_matching()` metas, `subjprefix`, Bayes stopwords, `:host`/`:domain`
 * header modifiers, `tflags nolog`, `compile_regexp`. `compat_*` answers follow `enable_compat`.
 */
const CONF_FEATURES: ReadonlySet<string> = new Set([
  'feature_originating_ip_headers', 'feature_bayes_auto_learn_on_error', 'feature_uri_host_listed',
  'feature_yesno_takes_args', 'feature_bug6558_free', 'feature_edns', 'feature_dns_query_restriction',
  'feature_registryboundaries', 'feature_dns_block_rule', 'feature_blocklist_welcomelist',
  'feature_welcomelist_blocklist', 'feature_header_address_parser', 'feature_local_tests_only',
  'feature_header_first_last', 'feature_header_match_many', 'feature_capture_rules', 'has_tflags_nosubject',
  'perl_min_version_5010000',
]);

/** Plugin capability flags (`has_*`) of the plugins above that hamlet implements (SpamAssassin 4.0.1's names). */
const PLUGIN_FEATURES: Readonly<Record<string, readonly string[]>> = {
  AskDNS: ['has_tag_header'],
  BodyEval: ['has_check_body_length'],
  DKIM: ['has_arc'],
  DNSEval: ['has_tflags_domains_only', 'has_tflags_ips_only'],
  HashBL: ['has_hashbl_bodyre', 'has_hashbl_bodyre_num', 'has_hashbl_emails', 'has_hashbl_uris', 'has_hashbl_ignore', 'has_hashbl_sha256'],
  MIMEEval: ['has_check_for_ascii_text_illegal', 'has_check_abundant_unicode_ratio'],
  MIMEHeader: ['has_all_header', 'has_tflags_multiple', 'has_capture_rules'],
  SPF: ['has_check_spf_skipped_noenvfrom'],
  URIDNSBL: ['has_tflags_domains_only', 'has_subtest_for_ranges', 'has_uridnsbl_for_a', 'has_uridnsbl_a_ns', 'has_tflags_notrim', 'has_uridnsbl_skip_mailto'],
};

function split(name: string): [string, string] {
  const i = name.lastIndexOf('::');
  return [name.slice(0, i), name.slice(i + 2)];
}

/** `has(Module::fn)`: the capability exists (its plugin is loaded, or it is a Conf feature). */
export function featureExists(name: string, plugins: ReadonlySet<string>): boolean {
  const [mod, fn] = split(name);
  if (mod === 'Mail::SpamAssassin::Conf') return CONF_FEATURES.has(fn) || fn.startsWith('compat_');
  if (!plugins.has(mod)) return false;
  return PLUGIN_FEATURES[mod.slice(P.length)]?.includes(fn) ?? false;
}

/** `can(Module::fn)`: the capability exists and answers true. */
export function featureEnabled(name: string, plugins: ReadonlySet<string>, compat: ReadonlySet<string>): boolean {
  const [mod, fn] = split(name);
  if (mod === 'Mail::SpamAssassin::Conf' && fn.startsWith('compat_')) return compat.has(fn.slice('compat_'.length));
  return featureExists(name, plugins);
}
