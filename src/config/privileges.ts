/**
 * What a restricted user_prefs file (read for a spamd user) may not set.
 * Privileged settings (rule definitions and rule attributes) are allowed only
 * with `allow_user_rules 1`; admin settings never. The lists are SpamAssassin
 * 4.0.1's, read from its documentation of each setting.
 */

/** Rule definitions and rule-shaping settings: need `allow_user_rules 1` in a restricted user file. */
export const PRIVILEGED_SETTINGS: ReadonlySet<string> = new Set([
  'allow_user_rules', 'askdns', 'asn_lookup', 'asn_lookup_ipv6', 'body', 'full', 'header', 'meta', 'mimeheader',
  'priority', 'rawbody', 'rbl_headers', 'redirector_pattern', 'replace_end', 'replace_inter', 'replace_post',
  'replace_pre', 'replace_rules', 'replace_start', 'replace_tag', 'reuse', 'tflags', 'uri', 'uri_block_cc',
  'uri_block_cidr', 'uri_block_cont', 'uri_block_exclude', 'uri_block_isp', 'uri_detail', 'uridnsbl', 'uridnssub',
  'urifullnsrhsbl', 'urifullnsrhssub', 'urinsrhsbl', 'urinsrhssub', 'urirhsbl', 'urirhssub', 'url_shortener_cache_dsn',
  'url_shortener_cache_password', 'url_shortener_cache_type', 'url_shortener_cache_username', 'dns_block_rule',
]);

/** Settings only the administrator's files may set. */
export const ADMIN_SETTINGS: ReadonlySet<string> = new Set([
  'asn_prefer_geodb', 'asn_use_dns', 'asn_use_geodb', 'authres_ignored_authserv', 'authres_networks',
  'authres_trusted_authserv', 'auto_welcomelist_db_modules', 'auto_welcomelist_factory', 'auto_welcomelist_file_mode',
  'auto_welcomelist_path', 'auto_whitelist_db_modules', 'auto_whitelist_factory', 'auto_whitelist_file_mode',
  'auto_whitelist_path', 'bayes_file_mode', 'bayes_path', 'bayes_sql_dsn', 'bayes_sql_password',
  'bayes_sql_username', 'bayes_sql_username_authorized', 'bayes_store_module', 'body_part_scan_size',
  'country_db_path', 'country_db_type', 'dcc_dccifd_path', 'dcc_home', 'dcc_learn_score', 'dcc_options', 'dcc_path',
  'dcc_timeout', 'dccifd_options', 'dkim_timeout', 'dmarc_save_reports', 'dns_block_time',
  'dns_local_ports_avoid', 'dns_local_ports_none', 'dns_local_ports_permit', 'do_not_use_mail_spf',
  'do_not_use_mail_spf_query', 'enable_compat', 'extracttext_maxparts', 'extracttext_timeout', 'geodb_module',
  'geodb_options', 'geodb_search_path', 'ignore_always_matching_regexps', 'ignore_received_spf_header',
  'loadplugin', 'max_short_url_redirections', 'max_short_urls', 'phishing_openphish_feed',
  'phishing_phishstats_feed', 'phishing_phishstats_minscore', 'phishing_phishtank_feed', 'phishing_uri_noparam',
  'pyzor_fork', 'pyzor_options', 'pyzor_path', 'pyzor_perl', 'pyzor_server_file', 'pyzor_timeout', 'rawbody_part_scan_size',
  'razor_config', 'razor_fork', 'razor_timeout', 'rbl_timeout', 'resource_limit_cpu', 'resource_limit_mem',
  'spf_timeout', 'test', 'trigger_config', 'trigger_ratio', 'trigger_target', 'tryplugin', 'txrep_factory',
  'uri_country_db_isp_path', 'uri_country_db_path', 'uridnsbl_max_domains', 'uridnsbl_skip_mailto',
  'url_shortener_cache_autoclean', 'url_shortener_cache_ttl', 'url_shortener_loginfo', 'url_shortener_timeout',
  'url_shortener_user_agent', 'use_newest_received_spf_header', 'user_awl_dsn', 'user_awl_sql_password',
  'user_awl_sql_table', 'user_awl_sql_username', 'user_scores_dsn', 'user_scores_fallback_to_global',
  'user_scores_ldap_password', 'user_scores_ldap_username', 'user_scores_sql_custom_query',
  'user_scores_sql_password', 'user_scores_sql_username', 'util_rb_2tld', 'util_rb_3tld', 'util_rb_tld', 'version_tag',
]);
