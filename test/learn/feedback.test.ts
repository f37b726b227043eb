/**
 * `hamlet` with Bayes, the AWL and auto-learn wired in (learn/feedback.ts): real
 * SQLite files in a temporary directory, the command run in-process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../src/cli/hamlet';
import { openBayesStore, bayesSettings } from '../../src/bayes/index';

const RULES = `
required_score 5
body     T_PRIZE   /\\bprize\\b/i
score    T_PRIZE   3.5
header   AWL       eval:check_from_in_auto_welcomelist()
describe AWL       Adjusted score from AWL reputation of From: address
tflags   AWL       userconf noautolearn
priority AWL       1000
body     BAYES_50  eval:check_bayes('0.40', '0.60')
tflags   BAYES_50  learn
score    BAYES_50  0 0 0.8 0.8
`;

function setup(): { base: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-feedback-'));
  writeFileSync(join(dir, '50_rules.cf'), RULES);
  writeFileSync(join(dir, 'user_prefs'), '# none\n');
  const base = ['-C', dir, '--siteconfigpath', dir, '-p', join(dir, 'user_prefs'), '--cf', `bayes_path ${join(dir, 'bayes')}`, '--cf', `auto_welcomelist_path ${join(dir, 'awl')}`];
  return { base, dir };
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (b) => (out += Buffer.isBuffer(b) ? b.toString('latin1') : b), err: (s) => (err += s) };
  const code = await main(argv, io);
  return { code, out, err };
}

function mail(dir: string, name: string, from: string, body: string, id: string): string {
  const p = join(dir, name);
  writeFileSync(p, `Received: from mx.example.net (mx.example.net [198.51.100.7]) by mail.example.org; Mon, 2 Mar 2026 10:00:00 +0000\nFrom: ${from}\nTo: carol@example.org\nSubject: hello\nMessage-ID: <${id}@example.net>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\n${body}\n`);
  return p;
}

const status = (out: string): string => /X-Spam-Status: ([^]*?)\n(?!\t)/.exec(out)?.[1]?.replace(/\n\t/g, ' ') ?? '';

test('a clean message is auto-learned as ham: autolearn=ham, the Bayes counts move; learned again it is unavailable', async () => {
  const { base, dir } = setup();
  const m = mail(dir, 'ham.eml', 'dave@example.net', 'See you at lunch.', 'ham1');
  const r = await run([...base, '-t', m]);
  assert.equal(r.code, 0, r.err);
  assert.match(status(r.out), /autolearn=ham autolearn_force=no/);
  const store = openBayesStore(bayesSettings({ bayes_path: join(dir, 'bayes') }));
  assert.deepEqual([(await store.messageCounts()).nspam, (await store.messageCounts()).nham], [0, 1]);
  store.close();
  assert.match(status((await run([...base, m])).out), /autolearn=unavailable autolearn_force=no/);
});

test('the AWL: a sender with a history gets the AWL hit in tests= and the report', async () => {
  const { base, dir } = setup();
  const first = await run([...base, mail(dir, 'a.eml', 'erin@example.net', 'You won a prize.', 'a1')]);
  assert.doesNotMatch(status(first.out), /AWL/);
  const second = await run([...base, '-t', mail(dir, 'b.eml', 'erin@example.net', 'Nothing to see.', 'b1')]);
  assert.match(status(second.out), /score=1\.8 .*tests=AWL /);
  assert.match(second.out, /\n 1\.8 AWL +Adjusted score from AWL reputation of From: address\n/);
});

test('welcomelist options: the address lines as SpamAssassin prints them, and the next verdict changes', async () => {
  const { base, dir } = setup();
  const spam = mail(dir, 's.eml', 'frank@example.net', 'A prize! A prize for you, prize winner.', 's1');
  const rules = [...base, '--cf', 'score T_PRIZE 6'];
  assert.match(status((await run([...rules, spam])).out), /^Yes, /);
  const add = await run([...rules, '--add-addr-to-welcomelist=Frank@Example.net']);
  assert.equal(add.out, 'SpamAssassin auto-welcomelist: adding address to welcomelist: Frank@Example.net\n');
  assert.match(status((await run([...rules, spam])).out), /^No, score=-\d.*AWL/);
  const rm = await run([...rules, '--remove-addr-from-whitelist', 'frank@example.net']);
  assert.equal(rm.out, 'SpamAssassin auto-welcomelist: removing address: frank@example.net\n');
  const block = await run([...rules, '--add-to-blocklist', mail(dir, 'w.eml', 'gina@example.net', 'hi', 'w1')]);
  assert.equal(
    block.out,
    'SpamAssassin auto-welcomelist: adding address to blocklist: carol@example.org\nSpamAssassin auto-welcomelist: adding address to blocklist: gina@example.net\n1 message(s) examined.\n',
  );
  assert.match(status((await run([...rules, mail(dir, 'g.eml', 'gina@example.net', 'hi again', 'g1')])).out), /^Yes, .*AWL/);
});
