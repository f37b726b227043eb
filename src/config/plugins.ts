/**
 * SpamAssassin plugins hamlet answers for. A `loadplugin` of one of these makes
 * `ifplugin` true: either hamlet implements the plugin's evals natively, or it
 * recognises them and reports them inactive (network, image, PDF, external tools).
 * Shortcircuit is neither: its `ifplugin` blocks stay off, as in a SpamAssassin that does not load it.
 */
const P = 'Mail::SpamAssassin::Plugin::';

export const KNOWN_PLUGINS: ReadonlySet<string> = new Set(
  [
    // implemented natively
    'Check', 'HTMLEval', 'HeaderEval', 'BodyEval', 'MIMEEval', 'RelayEval', 'WLBLEval', 'VBounce', 'FreeMail',
    'FromNameSpoof', 'ReplaceTags', 'MIMEHeader', 'URIEval', 'HTTPSMismatch', 'AntiVirus', 'WelcomeListSubject',
    'AutoLearnThreshold', 'Bayes', 'AWL', 'Rule2XSBody', 'URIDetail', 'SpamCop', 'DecodeShortURLs',
    'URLShortener',
    // recognised: their rules are defined and reported as not active locally
    'DNSEval', 'URIDNSBL', 'SPF', 'DKIM', 'DMARC', 'AskDNS', 'HashBL', 'Razor2', 'Pyzor', 'DCC', 'ImageInfo',
    'PDFInfo', 'TextCat', 'ASN', 'AccessDB', 'TxRep', 'OLEVBMacro', 'ExtractText', 'PhishTag', 'ResourceLimits',
  ].map((n) => P + n),
);

/**
 * `can(Mail::SpamAssassin::Conf::feature_*)` switches SpamAssassin 4.0.1 answers true
 * for and hamlet honours. `compat_*` answers follow `enable_compat`.
 */
const CONF_FEATURES: ReadonlySet<string> = new Set([
  'feature_originating_ip_headers', 'feature_dns_local_ports_permit_avoid',
  'feature_bayes_auto_learn_on_error', 'feature_uri_host_listed', 'feature_yesno_takes_args',
  'feature_bug6558_free', 'feature_edns', 'feature_dns_query_restriction', 'feature_registryboundaries',
  'feature_geodb', 'feature_dns_block_rule', 'feature_compile_regexp', 'feature_meta_rules_matching',
  'feature_subjprefix', 'feature_bayes_stopwords', 'feature_get_host', 'feature_blocklist_welcomelist',
  'feature_welcomelist_blocklist', 'feature_header_address_parser', 'feature_local_tests_only',
  'feature_header_first_last', 'feature_header_match_many', 'feature_capture_rules', 'has_tflags_nosubject',
  'has_tflags_nolog', 'perl_min_version_5010000',
]);

/** Plugin capability flags (`has_*`), as SpamAssassin 4.0.1's plugins define them. */
const PLUGIN_FEATURES: Readonly<Record<string, readonly string[]>> = {
  ASN: ['has_asn_lookup_ipv6', 'has_asn_geodb', 'has_check_asn', 'has_check_asn_tag'],
  AskDNS: ['has_tag_header'],
  BodyEval: ['has_check_body_length', 'has_plaintext_body_sig_ratio'],
  DKIM: ['has_arc'],
  DNSEval: ['has_tflags_domains_only', 'has_tflags_ips_only'],
  DecodeShortURLs: ['has_short_url', 'has_autoclean', 'has_short_url_code', 'has_user_agent', 'has_get', 'has_clear', 'has_timeout', 'has_max_redirections', 'has_short_url_redir'],
  HashBL: ['has_hashbl_bodyre', 'has_hashbl_bodyre_num', 'has_hashbl_emails', 'has_hashbl_uris', 'has_hashbl_ignore', 'has_hashbl_email_regex', 'has_hashbl_email_welcomelist', 'has_hashbl_email_whitelist', 'has_hashbl_tag', 'has_hashbl_sha256', 'has_hashbl_attachments', 'has_hashbl_email_domain', 'has_hashbl_email_domain_alias'],
  MIMEEval: ['has_check_for_ascii_text_illegal', 'has_check_abundant_unicode_ratio', 'has_check_qp_ratio'],
  MIMEHeader: ['has_all_header', 'has_tflags_range', 'has_tflags_concat', 'has_tflags_multiple', 'has_capture_rules'],
  OLEVBMacro: ['has_olemacro_redirect_uri', 'has_olemacro_mhtml_uri', 'has_olertfobject'],
  Pyzor: ['has_fork', 'has_perl'],
  Razor2: ['has_fork'],
  SPF: ['has_check_for_spf_errors', 'has_check_spf_skipped_noenvfrom'],
  URIDNSBL: ['has_tflags_domains_only', 'has_subtest_for_ranges', 'has_uridnsbl_for_a', 'has_uridnsbl_a_ns', 'has_tflags_notrim', 'has_uridnsbl_skip_mailto'],
  URIDetail: ['has_host_key'],
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
