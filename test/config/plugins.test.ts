/**
 * What `ifplugin`, `can()` and `has()` answer: present only for what hamlet implements. Each
 * claim is shown here by what it stands for (a rule that behaves, an eval that is registered),
 * or, for the DNS and learning options, by the test file that exercises them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMessage } from '../../src/check/index';
import { parseOptionsFor } from '../../src/config/compile';
import { evalCondition } from '../../src/config/conditionals';
import { featureEnabled, featureExists, KNOWN_PLUGINS } from '../../src/config/plugins';
import { EVAL_REGISTRY } from '../../src/eval/index';
import { rulesFrom } from '../helpers/net-check';

const P = 'Mail::SpamAssassin::Plugin::';
const CONF = 'Mail::SpamAssassin::Conf::';
const ALL_PLUGINS = KNOWN_PLUGINS;
const can = (name: string): boolean => featureEnabled(name, ALL_PLUGINS, new Set());

/** The rules of `cf` that hit `raw`. */
function hits(cf: string, raw: string): readonly string[] {
  return checkMessage(Buffer.from(raw), rulesFrom(cf)).result.tests;
}
const MSG = 'From: Ann <ann@example.org>, Bob <bob@example.net>\nFrom: Second <second@example.com>\nTo: pat@example.com\nSubject: code 42\n\nhello code 7 and code 8\n';

/** Test files (from the project root) that exercise the claims shown by files rather than here. */
const ROOT = join(__dirname, '..', '..', '..');
function covered(file: string, term: string): boolean {
  const p = join(ROOT, file);
  return existsSync(p) && readFileSync(p, 'utf8').includes(term);
}

const regs = (...names: string[]): boolean => names.every((n) => EVAL_REGISTRY.active.has(n));

/** Every claim hamlet makes, with what shows it. */
const CLAIMS: Record<string, () => boolean> = {
  [CONF + 'feature_capture_rules']: () => hits('body __C /code (?<N>\\d+)/\nheader CAPT Subject =~ /%{N}/\nscore CAPT 1', MSG).includes('CAPT'),
  [P + 'MIMEHeader::has_capture_rules']: () => hits('header __C Subject =~ /(?<N>\\d+)/\nbody CAPT /code %{N}/\nscore CAPT 1', MSG).includes('CAPT'),
  [CONF + 'feature_header_first_last']: () => {
    const h = hits('header F1 From:first =~ /Ann/\nheader F2 From:last =~ /Second/\nheader F3 From:first =~ /Second/\nscore F1 1\nscore F2 1\nscore F3 1', MSG);
    return h.includes('F1') && h.includes('F2') && !h.includes('F3');
  },
  [CONF + 'feature_header_match_many']: () => hits('header M From:addr =~ /^bob\\@/m\nscore M 1', MSG).includes('M'),
  [CONF + 'feature_header_address_parser']: () => hits('header A From:addr =~ /^ann\\@example\\.org$/m\nheader N From:name =~ /^Ann$/m\nscore A 1\nscore N 1', MSG).length === 2,
  [CONF + 'has_tflags_nosubject']: () => {
    const h = hits('body S1 /code 42/\nbody S2 /code 42/\ntflags S2 nosubject\nscore S1 1\nscore S2 1', MSG);
    return h.includes('S1') && !h.includes('S2');
  },
  [P + 'MIMEHeader::has_tflags_multiple']: () => checkMessage(Buffer.from(MSG), rulesFrom('body C /code \\d/\ntflags C multiple\nscore C 1')).result.counts.get('C') === 3,
  [P + 'MIMEHeader::has_all_header']: () => hits('header ALLH ALL =~ /^To: pat/m\nscore ALLH 1', MSG).includes('ALLH'),
  [CONF + 'feature_yesno_takes_args']: () => /X-Spam-Yn: nope/.test(checkMessage(Buffer.from(MSG), rulesFrom('add_header all Yn _YESNO(yep,nope)_')).headers),
  [CONF + 'feature_local_tests_only']: () => evalCondition('local_tests_only', { version: 4, pluginLoaded: () => false, can: () => false, has: () => false, localTestsOnly: true }) === true,
  [CONF + 'feature_uri_host_listed']: () => hits('enlist_uri_host (L) com\nheader U eval:check_uri_host_listed(\'L\')\nscore U 1', MSG.replace('hello', 'see http://www.example.com/ hello')).includes('U'),
  [CONF + 'feature_welcomelist_blocklist']: () => regs('check_from_in_welcomelist', 'check_from_in_blocklist', 'check_uri_host_in_welcomelist'),
  [CONF + 'feature_blocklist_welcomelist']: () => regs('check_from_in_blocklist', 'check_from_in_welcomelist'),
  [CONF + 'feature_registryboundaries']: () => parseOptionsFor({ util_rb_tld: ['zz'], util_rb_2tld: ['co.zz'] }, []).domains?.twoLevel?.has('co.zz') === true,
  [CONF + 'feature_bug6558_free']: () => covered('test/engine/time-limit.test.ts', 'TIME_LIMIT_EXCEEDED') || covered('test/engine/guarded-rules.test.ts', 'TIME_LIMIT_EXCEEDED'),
  [CONF + 'perl_min_version_5010000']: () => evalCondition('perl_version >= 5.010000', { version: 4, pluginLoaded: () => false, can: () => false, has: () => false, localTestsOnly: false }) === true,
  [CONF + 'feature_originating_ip_headers']: () => covered('test/eval/dns-rbl.test.ts', 'originating_ip_headers') || covered('test/check/pipeline.test.ts', 'originating_ip_headers'),
  [CONF + 'feature_bayes_auto_learn_on_error']: () => covered('test/learn/autolearn.test.ts', 'bayes_auto_learn_on_error'),
  [CONF + 'feature_edns']: () => covered('test/dns/settings.test.ts', 'edns'),
  [CONF + 'feature_dns_query_restriction']: () => covered('test/dns/query-policy.test.ts', 'dns_query_restriction'),
  [CONF + 'feature_dns_block_rule']: () => covered('test/dns/settings.test.ts', 'dns_block_rule'),
  [P + 'AskDNS::has_tag_header']: () => covered('test/report/tags.test.ts', 'HEADER(') || covered('test/eval/askdns.test.ts', 'HEADER('),
  [P + 'BodyEval::has_check_body_length']: () => regs('check_body_length'),
  [P + 'DKIM::has_arc']: () => regs('check_arc_signed', 'check_arc_valid'),
  [P + 'DNSEval::has_tflags_domains_only']: () => covered('test/eval/dns-rbl-hosts.test.ts', 'domains_only'),
  [P + 'DNSEval::has_tflags_ips_only']: () => covered('test/eval/dns-rbl-hosts.test.ts', 'ips_only'),
  [P + 'HashBL::has_hashbl_bodyre']: () => regs('check_hashbl_bodyre'),
  [P + 'HashBL::has_hashbl_bodyre_num']: () => regs('check_hashbl_bodyre') && covered('test/eval/hashbl.test.ts', 'num'),
  [P + 'HashBL::has_hashbl_emails']: () => regs('check_hashbl_emails'),
  [P + 'HashBL::has_hashbl_uris']: () => regs('check_hashbl_uris'),
  [P + 'HashBL::has_hashbl_ignore']: () => covered('test/eval/hashbl.test.ts', 'hashbl_ignore'),
  [P + 'HashBL::has_hashbl_sha256']: () => covered('test/eval/hashbl.test.ts', 'sha256'),
  [P + 'MIMEEval::has_check_for_ascii_text_illegal']: () => regs('check_for_ascii_text_illegal'),
  [P + 'MIMEEval::has_check_abundant_unicode_ratio']: () => regs('check_abundant_unicode_ratio'),
  [P + 'SPF::has_check_spf_skipped_noenvfrom']: () => regs('check_spf_skipped_noenvfrom'),
  [P + 'URIDNSBL::has_tflags_domains_only']: () => covered('test/eval/uridnsbl.test.ts', 'domains_only') || covered('test/dns/uri-blocklist.test.ts', 'domains_only'),
  [P + 'URIDNSBL::has_subtest_for_ranges']: () => covered('test/dns/subtests.test.ts', '-127.') || covered('test/eval/uridnsbl.test.ts', '-127.'),
  [P + 'URIDNSBL::has_uridnsbl_for_a']: () => covered('test/eval/uridnsbl.test.ts', "'a'") || covered('test/eval/uridnsbl.test.ts', ' a'),
  [P + 'URIDNSBL::has_uridnsbl_a_ns']: () => covered('test/eval/uridnsbl.test.ts', 'ns'),
  [P + 'URIDNSBL::has_tflags_notrim']: () => covered('test/eval/uridnsbl.test.ts', 'notrim') || covered('test/dns/uri-blocklist.test.ts', 'notrim'),
  [P + 'URIDNSBL::has_uridnsbl_skip_mailto']: () => covered('test/eval/uridnsbl.test.ts', 'skip_mailto') || covered('test/dns/uri-blocklist.test.ts', 'skip_mailto'),
};

for (const [claim, shown] of Object.entries(CLAIMS)) {
  test(`claimed and shown: ${claim.replace(/^Mail::SpamAssassin::/, '')}`, () => {
    assert.equal(can(claim), true, 'hamlet no longer claims it: drop it from this table');
    assert.equal(shown(), true);
  });
}

test('every Conf feature hamlet answers true for is in the table above', () => {
  // SpamAssassin 4.0.1's Conf feature names (from its documentation of `if can(...)`).
  const names = ['feature_originating_ip_headers', 'feature_dns_local_ports_permit_avoid', 'feature_bayes_auto_learn_on_error',
    'feature_uri_host_listed', 'feature_yesno_takes_args', 'feature_bug6558_free', 'feature_edns', 'feature_dns_query_restriction',
    'feature_registryboundaries', 'feature_geodb', 'feature_dns_block_rule', 'feature_compile_regexp', 'feature_meta_rules_matching',
    'feature_subjprefix', 'feature_bayes_stopwords', 'feature_get_host', 'feature_blocklist_welcomelist', 'feature_welcomelist_blocklist',
    'feature_header_address_parser', 'feature_local_tests_only', 'feature_header_first_last', 'feature_header_match_many',
    'feature_capture_rules', 'has_tflags_nosubject', 'has_tflags_nolog', 'perl_min_version_5010000'];
  const claimed = names.filter((n) => can(CONF + n)).map((n) => CONF + n);
  assert.deepEqual(claimed.filter((c) => !(c in CLAIMS)), []);
});

test('not implemented, so not claimed', () => {
  for (const f of ['feature_subjprefix', 'feature_get_host', 'feature_meta_rules_matching', 'feature_geodb', 'feature_bayes_stopwords', 'has_tflags_nolog', 'feature_compile_regexp']) {
    assert.equal(can(CONF + f), false, f);
  }
  for (const p of ['Razor2', 'Pyzor', 'DCC', 'PDFInfo', 'TextCat', 'ASN', 'FromNameSpoof', 'AntiVirus', 'URIDetail', 'DecodeShortURLs', 'Shortcircuit', 'OLEVBMacro']) {
    assert.equal(ALL_PLUGINS.has(P + p), false, p);
  }
  assert.equal(featureExists(P + 'Pyzor::has_fork', ALL_PLUGINS), false);
  assert.equal(featureExists(P + 'MIMEHeader::has_tflags_range', ALL_PLUGINS), false);
  assert.equal(featureExists(P + 'MIMEEval::has_check_qp_ratio', ALL_PLUGINS), false);
});

test('ImageInfo is answered loaded: its evals run (test/eval/image-info.test.ts) and its block is read', () => {
  assert.equal(ALL_PLUGINS.has(P + 'ImageInfo'), true);
  assert.equal(EVAL_REGISTRY.active.has('image_count'), true);
  assert.equal(EVAL_REGISTRY.inactive.has('image_count'), false);
  const rs = rulesFrom(['loadplugin Mail::SpamAssassin::Plugin::ImageInfo', 'ifplugin Mail::SpamAssassin::Plugin::ImageInfo', 'body __IMGH /hello/', 'meta IMG_META __IMGH', 'endif'].join('\n'));
  assert.deepEqual(checkMessage(Buffer.from(MSG), rs).result.tests, ['IMG_META']);
});

test('a loadplugin of a plugin hamlet does not implement leaves its ifplugin block off, with a lint warning', () => {
  const rs = rulesFrom(['loadplugin Mail::SpamAssassin::Plugin::Razor2', 'ifplugin Mail::SpamAssassin::Plugin::Razor2', 'body RAZ /hello/', 'endif', 'body PLAIN /hello/'].join('\n'));
  const names = rs.compiled.rules.map((r) => r.name);
  assert.ok(names.includes('PLAIN') && !names.includes('RAZ'));
  assert.ok(rs.lint.some((l) => /Razor2 is not implemented by hamlet/.test(l.text)));
});
