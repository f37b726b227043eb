import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';
import { charsetOkForLocales } from '../../src/eval/header-locales';

/** A message from header lines (LF ends, latin1 bytes). */
const msg = (...headers: string[]): string => headers.map((h) => `${h}\n`).join('') + '\nbody\n';

test('check_illegal_chars', () => {
  const utf8 = Buffer.from('Subject: caf\u00e9 cr\u00e8me br\u00fbl\u00e9e', 'utf8').toString('latin1');
  const cases: Array<[string, string, Array<string | number>, boolean]> = [
    ['8-bit subject', msg('From: a@b.com', 'Subject: caf\xe9 cr\xe8me'), ['Subject', '0.00', '2'], true],
    ['one 8-bit byte', msg('From: a@b.com', 'Subject: caf\xe9 creme'), ['Subject', '0.00', '2'], false],
    ['lone pound sign is exempt', msg('From: a@b.com', 'Subject: \xa3100 caf\xe9'), ['Subject', '0.00', '2'], false],
    ['exemption only for Subject', msg('From: \xa3\xe9 <a@b.com>', 'Subject: x'), ['From', '0.00', '2'], true],
    ['valid UTF-8 passes', msg('From: a@b.com', utf8), ['Subject', '0.00', '2'], false],
    ['UTF-8 with a control does not', msg('From: a@b.com', `${utf8}\x01`), ['Subject', '0.00', '2'], true],
    ['ratio too low', msg('From: "Jos\xe9 \xe9" <jose.long.address@example.com>', 'Subject: x'), ['From', '0.20', '2'], false],
    ['ratio met', msg('From: \xe9\xe9\xe9 <a@b.c>', 'Subject: x'), ['From', '0.20', '2'], true],
    ['absent header', msg('From: a@b.com'), ['Subject', '0.00', '2'], false],
    ['whole header block', msg('From: a@b.com', 'X-Junk: \xe9\xe8\xea\xeb', 'Subject: x'), ['ALL', '0.010', '2'], true],
    ['whole block, thin', msg('From: a@b.com', 'X-Junk: \xe9\xe8', `X-Pad: ${'y'.repeat(300)}`), ['ALL', '0.010', '2'], false],
  ];
  for (const [label, raw, args, want] of cases) assert.equal(runEval('check_illegal_chars', raw, args), want, label);
});

test('check_header_count_range counts distinct values', () => {
  const cases: Array<[string, string, boolean]> = [
    ['two different', msg('Subject: a', 'Subject: b'), true],
    ['two identical', msg('Subject: a', 'Subject: a'), false],
    ['one', msg('Subject: a'), false],
  ];
  for (const [label, raw, want] of cases) assert.equal(runEval('check_header_count_range', raw, ['Subject', '2', '999']), want, label);
  assert.equal(runEval('check_header_count_range', msg('Subject: a'), ['Content-Type', '0', '0']), true);
});

test('subject_is_all_caps', () => {
  const cases: Array<[string, string, boolean]> = [
    ['shouting', 'Subject: BUY CHEAP STUFF NOW', true],
    ['mixed', 'Subject: Buy cheap stuff now', false],
    ['one word', 'Subject: ABSOLUTELYFREE', false],
    ['short', 'Subject: BUY NOW', false],
    ['reply prefix stripped', 'Subject: Re: FW: HELLO', false],
    ['prefix then caps', 'Subject: Re: GREAT NEWS TODAY', true],
    ['digits only', 'Subject: 1234 5678 90', false],
    ['CJK charset exempt', 'Subject: =?koi8-r?B?88/P?= HELLO THERE', false],
  ];
  for (const [label, subj, want] of cases) assert.equal(runEval('subject_is_all_caps', msg('From: a@b.com', subj)), want, label);
  assert.equal(runEval('subject_is_all_caps', msg('From: a@b.com')), false, 'no subject');
});

test('check_for_faraway_charset_in_headers', () => {
  const raw = msg('From: a@b.com', 'Subject: =?koi8-r?B?88/P?=');
  assert.equal(runEval('check_for_faraway_charset_in_headers', raw), false, 'default all');
  assert.equal(runEval('check_for_faraway_charset_in_headers', raw, [], { ok_locales: ['en'] }), true);
  assert.equal(runEval('check_for_faraway_charset_in_headers', raw, [], { ok_locales: ['ru'] }), false);
  assert.equal(runEval('check_for_faraway_charset_in_headers', msg('Subject: =?iso-8859-1?Q?x?='), [], { ok_locales: ['en'] }), false);
  assert.equal(charsetOkForLocales('windows-1252', ['ja']), true);
  assert.equal(charsetOkForLocales('EUC-JP', ['ja_JP']), true);
  assert.equal(charsetOkForLocales('EUC-JP', ['en']), false);
});

test('check_unresolved_template', () => {
  assert.equal(runEval('check_unresolved_template', msg('From: a@b.com', 'X-Campaign: %CAMPAIGN_ID')), true);
  assert.equal(runEval('check_unresolved_template', msg('From: a@b.com', 'Subject: Hi %FIRST_NAME')), false);
  assert.equal(runEval('check_unresolved_template', msg('From: a@b.com', 'X-Rate: 100%')), false);
});

test('check_for_matching_env_and_hdr_from and check_for_missing_to_header', () => {
  assert.equal(runEval('check_for_matching_env_and_hdr_from', msg('Return-Path: <A@B.com>', 'From: a@b.com')), true);
  assert.equal(runEval('check_for_matching_env_and_hdr_from', msg('Return-Path: <x@b.com>', 'From: a@b.com')), false);
  assert.equal(runEval('check_for_missing_to_header', msg('From: a@b.com')), true);
  assert.equal(runEval('check_for_missing_to_header', msg('From: a@b.com', 'Apparently-To: c@d.com')), false);
  assert.equal(runEval('check_for_missing_to_header', msg('From: a@b.com', 'To: c@d.com')), false);
});

test('check_for_to_in_subject', () => {
  const cases: Array<[string, string, boolean]> = [
    ['Subject: bob, you won', 'user', true],
    ['Subject: Bob, you won', 'user', false],
    ['Subject: Re: dear bob', 'user', true],
    ['Subject: BOB', 'user', true],
    // Every form is anchored at the start: a name at the end of a longer subject does not count.
    ['Subject: special offer for bob', 'user', false],
    ['Subject: , bob!', 'user', true],
    ['Subject: bobcat sale', 'user', false],
    ['Subject: news for bob@example.com today', 'address', true],
    ['Subject: news for bob today', 'address', false],
  ];
  for (const [subj, mode, want] of cases) {
    assert.equal(runEval('check_for_to_in_subject', msg('From: a@b.com', 'To: bob@example.com', subj), [mode]), want, `${mode}: ${subj}`);
  }
  assert.equal(runEval('check_for_to_in_subject', msg('From: a@b.com', 'Subject: bob'), ['user']), false, 'no To');
});

test('check_ratware_name_id and check_ratware_envelope_from', () => {
  const id = 'ABCDEFGHIJKLMNOPQRSTUVWXYZAB';
  assert.equal(runEval('check_ratware_name_id', msg(`Message-ID: <${id}.joe@spam.com>`, 'From: "Joe" <joe@spam.com>')), true);
  assert.equal(runEval('check_ratware_name_id', msg(`Message-ID: <${id}.joe@spam.com>`, 'From: joe@spam.com')), false);
  assert.equal(runEval('check_ratware_name_id', msg('Message-ID: <abc.joe@spam.com>', 'From: "Joe" <joe@spam.com>')), false);
  const efrom = (env: string) => msg(`Return-Path: <${env}>`, 'From: x@y.com', 'To: bob@mail.example.com');
  assert.equal(runEval('check_ratware_envelope_from', efrom('example.com.bob@spammer.net')), true);
  assert.equal(runEval('check_ratware_envelope_from', efrom('SRS0=abc=example.com.bob@fwd.net')), false);
  assert.equal(runEval('check_ratware_envelope_from', efrom('bob@spammer.net')), false);
});

test('sorted_recipients and similar_recipients', () => {
  const to = (addrs: string[]) => msg('From: a@b.com', `To: ${addrs.join(', ')}`);
  const sorted = ['aa@x1.com', 'ab@x2.com', 'ac@x3.com', 'ad@x4.com', 'ae@x5.com', 'af@x6.com', 'ag@x7.com'];
  assert.equal(runEval('sorted_recipients', to(sorted)), true);
  assert.equal(runEval('sorted_recipients', to([...sorted].reverse())), false);
  assert.equal(runEval('sorted_recipients', to(sorted.slice(0, 6))), false, 'too few');
  // Same user prefix 'ab' everywhere, distinct host prefixes: every pair hits once.
  const similar = ['abc@xa.com', 'abd@xb.com', 'abe@xc.com', 'abf@xd.com', 'abg@xe.com'];
  assert.equal(runEval('similar_recipients', to(similar), ['0.65', 'undef']), true);
  const varied = ['alice@one.com', 'bob@two.org', 'carol@three.net', 'dave@four.com', 'erin@five.org'];
  assert.equal(runEval('similar_recipients', to(varied), ['0.65', 'undef']), false);
  assert.equal(runEval('similar_recipients', to(similar.slice(0, 4)), ['0.65', 'undef']), false, 'too few');
});
