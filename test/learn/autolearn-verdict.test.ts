/**
 * Auto-learn needs the scan's own verdict to agree with the side it would learn, as
 * SpamAssassin 4.0.1 decides (`-D learn`: "scored as spam but autolearn wanted ham",
 * "scored as ham but autolearn wanted spam"). The rules the verdict comes from here
 * (the GTUBE string, the user's block and welcome lists) are `noautolearn`, so the
 * learning score alone would say the opposite. `hamlet` runs in-process with Bayes in
 * a temporary directory; each case asserts `autolearn=no` and that Bayes learned nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../src/cli/hamlet';
import { openBayesStore, bayesSettings } from '../../src/bayes/index';

const RULES = `
required_score 5
use_auto_welcomelist 0
bayes_auto_learn 1
body     T_GTUBE   /GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL/
tflags   T_GTUBE   userconf noautolearn
score    T_GTUBE   1000
header   USER_IN_BLOCKLIST   eval:check_from_in_blocklist()
tflags   USER_IN_BLOCKLIST   userconf noautolearn
score    USER_IN_BLOCKLIST   100
header   USER_IN_WELCOMELIST eval:check_from_in_welcomelist()
tflags   USER_IN_WELCOMELIST userconf nice noautolearn
score    USER_IN_WELCOMELIST -100
header   T_HDR_OFFER  Subject =~ /\\boffer\\b/
score    T_HDR_OFFER  8
body     T_BODY_OFFER /\\bcheap pills\\b/
score    T_BODY_OFFER 8
body     BAYES_50  eval:check_bayes('0.40', '0.60')
tflags   BAYES_50  learn
score    BAYES_50  0 0 0.8 0.8
`;

async function check(from: string, subject: string, body: string, extra: string[] = []): Promise<{ status: string; learned: [number, number] }> {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-autolearn-'));
  writeFileSync(join(dir, '50_rules.cf'), RULES);
  writeFileSync(join(dir, 'user_prefs'), '# none\n');
  const msg = join(dir, 'msg.eml');
  writeFileSync(msg, `From: ${from}\nTo: carol@example.org\nSubject: ${subject}\nMessage-ID: <m1@example.net>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\n${body}\n`);
  const bayesPath = join(dir, 'bayes');
  let out = '';
  let err = '';
  const io: CliIo = { out: (b) => (out += Buffer.isBuffer(b) ? b.toString('latin1') : b), err: (s) => (err += s) };
  const argv = ['-C', dir, '--siteconfigpath', dir, '-p', join(dir, 'user_prefs'), '--cf', `bayes_path ${bayesPath}`, ...extra, msg];
  assert.equal(await main(argv, io), 0, err);
  const status = /X-Spam-Status: ([^]*?)\n(?!\t)/.exec(out)?.[1]?.replace(/\n\t/g, ' ') ?? '';
  let learned: [number, number] = [0, 0];
  if (existsSync(`${bayesPath}.sqlite`)) {
    const store = openBayesStore(bayesSettings({ bayes_path: bayesPath }));
    const c = await store.messageCounts();
    learned = [c.nspam, c.nham];
    store.close();
  }
  return { status, learned };
}

test('the setup learns: a plain message is learned as ham, a spammy one as spam', async () => {
  const ham = await check('dave@example.net', 'lunch', 'See you at noon.');
  assert.match(ham.status, /^No, .* autolearn=ham /);
  assert.deepEqual(ham.learned, [0, 1]);
  const spam = await check('dave@example.net', 'an offer', 'Buy cheap pills now.');
  assert.match(spam.status, /^Yes, score=16\.0 .* autolearn=spam /);
  assert.deepEqual(spam.learned, [1, 0]);
});

test('GTUBE (1,000 points, none of them for learning) is not learned as ham', async () => {
  const r = await check('dave@example.net', 'test', 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X');
  assert.match(r.status, /^Yes, score=1000\.0 .*tests=T_GTUBE autolearn=no autolearn_force=no/);
  assert.deepEqual(r.learned, [0, 0]);
});

test('a blocklist_from sender (100 points) is not learned as ham', async () => {
  const r = await check('mallory@example.net', 'hello', 'Nothing special.', ['--cf', 'blocklist_from *@example.net']);
  assert.match(r.status, /^Yes, score=100\.0 .*tests=USER_IN_BLOCKLIST autolearn=no autolearn_force=no/);
  assert.deepEqual(r.learned, [0, 0]);
});

test('a welcomelist_from spam (16 learning points, -84 in all) is not learned as spam', async () => {
  const r = await check('friend@example.net', 'an offer', 'Buy cheap pills now.', ['--cf', 'welcomelist_from friend@example.net']);
  assert.match(r.status, /^No, score=-84\.0 .*autolearn=no autolearn_force=no/);
  assert.deepEqual(r.learned, [0, 0]);
});
