/**
 * hamletd --plain-regex-over: how long a rule pattern must be to be compiled without V8's regex
 * optimisations changes memory and speed, never an answer; a bad value is a usage error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, raw, request, smallRules, startHamletd } from './helpers';

// A long pattern (an alternation of many words, as the stock look-alike rules are) that hits.
const LONG = `body LONG_OFFER /\\b(?:${Array.from({ length: 80 }, (_, i) => `deal${i}x`).join('|')}|cheap pills)\\b/i\nscore LONG_OFFER 1.2`;
const MAIL = 'Subject: hello there\r\n\r\nBuy cheap pills \u2019now\u2019, cheap!\r\n';

async function symbols(args: readonly string[], rules: string): Promise<string> {
  const d = await startHamletd(['-C', rules, '-m', '2', ...args]);
  try {
    return (await raw(d.port, request('SYMBOLS', Buffer.from(MAIL, 'utf8')))).toString('latin1');
  } finally {
    await d.stop();
  }
}

test('--plain-regex-over: every pattern plain, only long ones, or none: the same answer', async () => {
  const rules = smallRules(LONG);
  const answers = [];
  for (const n of ['1', '300', '0']) answers.push(await symbols(['--plain-regex-over', n], rules));
  assert.match(answers[0]!, /^SPAMD\/1\.1 0 EX_OK\r\n[^]*Spam: True ; 5\.2 \/ 5\.0\r\n\r\nBODY_CHEAP,LONG_OFFER,SUBJ_HELLO$/);
  assert.equal(answers[1], answers[0]);
  assert.equal(answers[2], answers[0]);
});

test('--plain-regex-over that is not a whole number is refused with a usage error', () => {
  const r = spawnSync(process.execPath, [BIN, '-C', smallRules(), '-s', 'stderr', '-i', '127.0.0.1', '-p', '0', '--plain-regex-over', 'big'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 64);
  assert.match(r.stderr, /^hamletd: --plain-regex-over must be a whole number/m);
});
