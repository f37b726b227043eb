import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDraft } from '../../src/config/compile';
import { newDraft } from '../../src/config/draft';
import { parseConfigText } from '../../src/config/parser';
import { DEFAULT_REPORT_TEMPLATE, headerLists, markupOptionsFrom } from '../../src/report/settings';

function settings(text: string, fixedHost = true) {
  const draft = newDraft();
  parseConfigText(draft, text, 'test.cf', { user: false, resolve: (_f, t) => t, readInclude: () => undefined });
  return markupOptionsFrom(compileDraft(draft), fixedHost ? { hostname: 'host.example', reportHostname: 'host.example' } : {});
}
const names = (l: readonly { name: string }[]) => l.map((h) => h.name);

test('with no header settings: Checker-Version, Flag (spam), Level, Status', () => {
  const s = settings('');
  assert.deepEqual(names(s.headersSpam), ['Checker-Version', 'Flag', 'Level', 'Status']);
  assert.deepEqual(names(s.headersHam), ['Checker-Version', 'Level', 'Status']);
  assert.equal(s.reportSafe, 1);
  assert.equal(s.reportTemplate, DEFAULT_REPORT_TEMPLATE);
});

test('add_header replaces a header of the same name and goes last; remove_header cannot remove Checker-Version', () => {
  const s = settings('clear_headers\nadd_header all Level _STARS_\nadd_header spam Flag YES\nadd_header all level again\nremove_header all Checker-Version\nremove_header ham Flag\n');
  assert.deepEqual(names(s.headersSpam), ['Checker-Version', 'Flag', 'level']);
  assert.deepEqual(names(s.headersHam), ['Checker-Version', 'level']);
  assert.equal(s.headersSpam[2]!.template, 'again');
});

test('clear_headers keeps only Checker-Version; order of clear/add/remove lines matters', () => {
  const s = settings('add_header all Foo 1\nclear_headers\nadd_header ham Bar 2\n');
  assert.deepEqual(names(s.headersSpam), ['Checker-Version']);
  assert.deepEqual(names(s.headersHam), ['Checker-Version', 'Bar']);
});

test('report_safe 0 adds X-Spam-Report to spam unless there is one; later add_header lines come after it', () => {
  const s = settings('report_safe 0\nadd_header spam After x\n');
  assert.deepEqual(names(s.headersSpam), ['Checker-Version', 'Flag', 'Level', 'Status', 'Report', 'After']);
  assert.equal(s.reportSafe, 0);
  const own = settings('clear_headers\nadd_header spam Report mine\nreport_safe 0\n');
  assert.deepEqual(names(own.headersSpam), ['Checker-Version', 'Report']);
  assert.equal(own.headersSpam[1]!.template, 'mine');
});

test('add_header templates: quotes removed, \\n and \\t expanded, \\\\ kept as one backslash, other escapes dropped', () => {
  const lists = headerLists({ '@header_ops': ['add_header all A "quoted value"', 'add_header all B one\\ntwo\\tthree \\\\ four\\x'] });
  assert.equal(lists.spam.find((h) => h.name === 'A')!.template, 'quoted value');
  assert.equal(lists.spam.find((h) => h.name === 'B')!.template, 'one\ntwo\tthree \\ four');
});

test('rewrite_header: last wins, empty removes, parentheses become brackets for From/To', () => {
  const s = settings('rewrite_header Subject [SPAM]\nrewrite_header subject ***SPAM***\nrewrite_header From (spam)\nrewrite_header To x\nrewrite_header To\nrewrite_header Cc y\n');
  assert.deepEqual(s.rewriteHeader, { Subject: '***SPAM***', From: '[spam]' });
});

test('report templates: quotes removed, one newline per line, clear_report_template restarts', () => {
  const s = settings('report first\nclear_report_template\nreport " indented"\nreport\nreport _SUMMARY_\nunsafe_report careful\n');
  assert.equal(s.reportTemplate, ' indented\n\n_SUMMARY_\n');
  assert.equal(s.unsafeReportTemplate, 'careful\n');
  assert.equal(settings('clear_report_template\n').reportTemplate, '');
});

test('scalar report settings', () => {
  const s = settings('report_contact admin@example.com\nreport_charset iso-8859-1\nfold_headers 0\nreport_wrap_width 60\nreport_safe_copy_headers X-A X-B\nreport_safe_copy_headers X-C\n');
  assert.equal(s.contact, 'admin@example.com');
  assert.equal(s.reportCharset, 'iso-8859-1');
  assert.equal(s.foldHeaders, false);
  assert.equal(s.reportWidth, 60);
  assert.deepEqual(s.copyHeaders, ['X-A', 'X-B', 'X-C']);
  assert.equal(settings('report_hostname mx.example.org\n', false).reportHostname, 'mx.example.org');
});

test("the stock rules' Checker-Version template names hamlet, not SpamAssassin, before hamlet's version", () => {
  const lists = headerLists({ '@header_ops': ['add_header all Checker-Version SpamAssassin _VERSION_ (_SUBVERSION_) on _HOSTNAME_', 'add_header all Other SpamAssassin _VERSION_'] });
  assert.equal(lists.spam.find((h) => h.name === 'Checker-Version')?.template, 'hamlet _VERSION_ (_SUBVERSION_) on _HOSTNAME_');
  // Only the checker's own header is renamed; other templates are the administrator's text.
  assert.equal(lists.ham.find((h) => h.name === 'Other')?.template, 'SpamAssassin _VERSION_');
});
