/**
 * hamletd --warm-scans: the made-up messages a worker checks before taking mail change its speed,
 * never an answer; the log says how long they took; a bad value is a usage error. And the
 * messages themselves: well-formed mail of every kind the warm-up means to cover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseMessage } from '../../src/message/parse';
import { loadRuleSet } from '../../src/config/load';
import { markupOptionsFrom } from '../../src/report/check';
import { warmMail, WARM_KINDS } from '../../src/spamd/warm-mail';
import { warmScans } from '../../src/spamd/warm-scans';
import { BIN, raw, request, smallRules, startHamletd } from './helpers';

const MAIL = 'Subject: hello there\r\n\r\nBuy cheap pills \u2019now\u2019, cheap!\r\n';

test('--warm-scans: none or some, the same answer; the log line gives their time', async () => {
  const rules = smallRules();
  const answers: string[] = [];
  for (const n of ['0', '24']) {
    const d = await startHamletd(['-C', rules, '-m', '1', '--warm-scans', n]);
    try {
      answers.push((await raw(d.port, request('SYMBOLS', Buffer.from(MAIL, 'utf8')))).toString('latin1'));
      if (n !== '0') assert.match(d.log(), /1 scan worker ready in [\d.]+ s \(.*, warm-up scans [\d.]+ s, heap/);
    } finally {
      await d.stop();
    }
  }
  assert.match(answers[0]!, /^SPAMD\/1\.1 0 EX_OK\r\n[^]*\r\n\r\nBODY_CHEAP,SUBJ_HELLO$/);
  assert.equal(answers[1], answers[0]);
});

test('--warm-scans that is not a whole number is refused with a usage error', () => {
  const r = spawnSync(process.execPath, [BIN, '-C', smallRules(), '-s', 'stderr', '-i', '127.0.0.1', '-p', '0', '--warm-scans', '-1'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 64);
  assert.match(r.stderr, /^hamletd: --warm-scans must be a whole number/m);
});

test('the warm-up messages: every kind parses, with text parts; the same i gives the same bytes; some text is beyond Latin-1', () => {
  let wide = 0;
  for (let i = 0; i < 2 * WARM_KINDS; i++) {
    const m = warmMail(i);
    assert.deepEqual(warmMail(i), m);
    const msg = parseMessage(m);
    assert.ok(msg.headers.some((h) => h.key === 'message-id'), `kind ${i % WARM_KINDS}: a Message-ID`);
    assert.ok(msg.headers.filter((h) => h.key === 'received').length >= 2, `kind ${i % WARM_KINDS}: relays`);
    assert.notDeepEqual(warmMail(i + WARM_KINDS), m, 'the next round varies the text');
  }
  for (let i = 0; i < WARM_KINDS; i++) {
    const msg = parseMessage(warmMail(i));
    assert.ok(msg.bodyText.join('').length > 50, `kind ${i}: body text`);
    if (msg.bodyText.some((l) => /[^\u0000-\u00ff]/.test(l))) wide++;
  }
  assert.ok(wide >= 3, `${wide} kinds with text beyond Latin-1 (UTF-8, Cyrillic, East Asian)`);
});

test('warmScans checks the messages with a rule set and says how long it took', () => {
  const rules = loadRuleSet({ configPath: smallRules(), extraText: 'use_bayes 1' }, false);
  const s = warmScans(rules, markupOptionsFrom(rules), WARM_KINDS);
  assert.ok(s > 0 && s < 60, `${s} s`);
});
