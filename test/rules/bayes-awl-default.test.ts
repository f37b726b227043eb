/**
 * GTUBE, the BAYES_ rules and the AWL in hamlet's default rules (rules/12_gtube.cf,
 * rules/60_bayes_awl.cf), through the `hamlet` command in-process: SpamAssassin's sample
 * spam exits as spam; a Bayes database under 200 spam / 200 ham changes nothing; a trained
 * one moves scores and verdicts; the AWL adjusts a known sender's second message.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { main, type CliIo } from '../../src/cli/hamlet';
import { DEFAULT_RULES_DIR } from '../../src/index';

const ROOT = resolve(__dirname, '..', '..', '..');
const SA_SAMPLE = '/usr/share/doc/spamassassin/examples/sample-spam.txt';
const SAMPLE = existsSync(SA_SAMPLE) ? SA_SAMPLE : join(ROOT, 'data', 'sample-spam.eml');

async function hamlet(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (b) => (out += Buffer.isBuffer(b) ? b.toString('latin1') : b), err: (s) => (err += s) };
  const code = await main(argv, io);
  return { code, out, err };
}

/** Default rules, an empty site directory and prefs, Bayes and AWL files in `dir`, no auto-learn; the AWL off unless asked for (it would pull a second scan toward the first). */
function baseArgs(dir: string, awl = false): string[] {
  const site = join(dir, 'site');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(dir, 'user_prefs'), '# none\n');
  return ['--siteconfigpath', site, '-p', join(dir, 'user_prefs'), '--cf', `bayes_path ${join(dir, 'bayes')}`, '--cf', `auto_welcomelist_path ${join(dir, 'awl')}`, '--cf', 'bayes_auto_learn 0', ...(awl ? [] : ['--cf', 'use_auto_welcomelist 0'])];
}

// Two vocabularies that share nothing, so a database trained on them is sure of each.
const SPAM_WORDS = 'zorblax quintex fluvomir drakkon pellavine strombic ulvarin kexophane'.split(' ');
const HAM_WORDS = 'agenda minutes rota sprint retrospective whiteboard allotment rhubarb'.split(' ');

function synthetic(kind: 'spam' | 'ham', i: number): string {
  const words = kind === 'spam' ? SPAM_WORDS : HAM_WORDS;
  const pick = (k: number): string => words[(i * 7 + k * 3) % words.length]!;
  // The number makes every body distinct: learning skips a message it has seen (same body).
  const body = `${Array.from({ length: 12 }, (_, k) => pick(k)).join(' ')}\nref ${kind}-${i}`;
  return `From: ${kind}${i}@${kind}-sender.example\nTo: bob@example.net\nSubject: ${pick(1)} ${pick(2)} ${i}\nMessage-ID: <${kind}${i}@example.net>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\n${body}\n`;
}

/** Learn `n` synthetic messages of each kind with hamlet-learn (a fresh process, as a user runs it). */
function train(dir: string, n: number): void {
  for (const kind of ['spam', 'ham'] as const) {
    const src = join(dir, `train-${kind}`);
    mkdirSync(src, { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(src, `${i}.eml`), synthetic(kind, i));
    execFileSync(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), '-C', DEFAULT_RULES_DIR, '--dbpath', join(dir, 'bayes'), `--${kind}`, '--no-progress', src], { stdio: 'ignore' });
  }
}

// A probe spam that the rules alone leave under 5 (a lure and a caps subject), written in the spam vocabulary.
const PROBE_SPAM = `From: Prize Desk <desk@winners-desk.example>\nTo: bob@example.net\nSubject: ZORBLAX QUINTEX WINNER NOTICE\nMessage-ID: <probe1@example.net>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nzorblax quintex fluvomir drakkon pellavine strombic ulvarin kexophane\nYou have been selected. Click here to claim your prize now.\n`;
const PROBE_HAM = `From: Carol <carol@example.org>\nTo: bob@example.net\nSubject: sprint retrospective\nMessage-ID: <probe2@example.org>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nagenda minutes rota sprint retrospective whiteboard allotment rhubarb\n`;

const status = (out: string): string => /X-Spam-Status: ([^]*?)\n(?!\t)/.exec(out)?.[1]?.replace(/\n\t/g, ' ') ?? '';
const scoreOf = (out: string): number => Number(/score=(-?[\d.]+)/.exec(status(out))?.[1]);

test('hamlet -e on SpamAssassin\'s sample spam exits as spam, by GTUBE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-gtube-'));
  const r = await hamlet([...baseArgs(dir), '-e', SAMPLE]);
  assert.equal(r.code, 5, r.err);
  assert.match(status(r.out), /^Yes, score=10\d\d\.\d .*\bGTUBE\b/);
});

test('a Bayes database under 200 spam / 200 ham changes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-bayes-min-'));
  train(dir, 150);
  const probe = join(dir, 'probe.eml');
  writeFileSync(probe, PROBE_SPAM);
  const withDb = await hamlet([...baseArgs(dir), probe]);
  const without = await hamlet([...baseArgs(dir), '--cf', 'use_bayes 0', probe]);
  assert.equal(withDb.code, 0, withDb.err);
  assert.doesNotMatch(status(withDb.out), /BAYES_/);
  assert.equal(status(withDb.out), status(without.out));
});

test('a trained database changes verdicts: the probe spam crosses 5 with BAYES_99, the probe ham drops with BAYES_00', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-bayes-on-'));
  train(dir, 210);
  const spam = join(dir, 'spam.eml');
  const ham = join(dir, 'ham.eml');
  writeFileSync(spam, PROBE_SPAM);
  writeFileSync(ham, PROBE_HAM);
  const spamOff = await hamlet([...baseArgs(dir), '--cf', 'use_bayes 0', spam]);
  const spamOn = await hamlet([...baseArgs(dir), spam]);
  assert.match(status(spamOff.out), /^No, /, 'the rules alone pass the probe spam');
  assert.match(status(spamOn.out), /^Yes, .*\bBAYES_99\b/);
  assert.ok(scoreOf(spamOn.out) - scoreOf(spamOff.out) >= 3, `Bayes added ${scoreOf(spamOn.out) - scoreOf(spamOff.out)}`);
  const hamOff = await hamlet([...baseArgs(dir), '--cf', 'use_bayes 0', ham]);
  const hamOn = await hamlet([...baseArgs(dir), ham]);
  assert.match(status(hamOn.out), /\bBAYES_00\b/);
  assert.ok(scoreOf(hamOn.out) < scoreOf(hamOff.out));
});

test('the AWL acts under the default rules: a sender\'s second message is pulled toward the first one\'s score', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-awl-default-'));
  const first = join(dir, 'first.eml');
  const second = join(dir, 'second.eml');
  writeFileSync(first, PROBE_HAM);
  writeFileSync(second, PROBE_SPAM.replace('desk@winners-desk.example', 'carol@example.org'));
  await hamlet([...baseArgs(dir, true), first]);
  const r = await hamlet([...baseArgs(dir, true), second]);
  assert.match(status(r.out), /\bAWL\b/);
  const off = await hamlet([...baseArgs(dir), second]);
  assert.ok(scoreOf(r.out) < scoreOf(off.out), `AWL moved ${scoreOf(off.out)} to ${scoreOf(r.out)}`);
});

// Text of words the database never learned (more than 20 distinct ones), from a spam tool's headers (a Message-ID with no @).
const UNFAMILIAR_WORDS = 'aldoverin brusquelt cantomery dwivelock esparound frindlemax gorvatish hollisant inquebor jastremon kolvenard lumbrisco mephradel novastrum obbleward pirrenock quastilon rendiveux sollumbra tavernique umbrelsk vorpantic'.split(' ');
const KOREAN_TEXT = '지난주 회의에서 이야기한 여행 계획을 정리해서 보내드립니다. 토요일 아침 일찍 출발해서 바닷가 근처 작은 마을에 들렀다가 저녁에는 친구 집에서 함께 식사를 할 예정입니다. 혹시 일정이 맞지 않으면 편하게 알려 주세요. 사진도 몇 장 첨부하려고 했는데 용량이 커서 다음에 따로 보내겠습니다. 부모님께도 안부 전해 주시고 건강 잘 챙기세요.';
const PROBE_UNFAMILIAR = `From: Trade Desk <desk@trade-desk.example>\nTo: bob@example.net\nSubject: ${UNFAMILIAR_WORDS.slice(0, 3).join(' ')}\nMessage-ID: <probe3.trade-desk>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\n${UNFAMILIAR_WORDS.join(' ')}\n`;

test('text the database never learned: HL_BAYES_UNFAMILIAR with Bayes only, and with a spam tool\'s header HL_UNFAMILIAR_MACHINE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-unfamiliar-'));
  train(dir, 210);
  const probe = join(dir, 'probe.eml');
  writeFileSync(probe, PROBE_UNFAMILIAR);
  const on = status((await hamlet([...baseArgs(dir), probe])).out);
  assert.match(on, /\bHL_BAYES_UNFAMILIAR\b/);
  assert.match(on, /\bHL_UNFAMILIAR_MACHINE\b/);
  assert.match(on, /\bHL_MSGID_NO_AT\b/);
  const off = status((await hamlet([...baseArgs(dir), '--cf', 'use_bayes 0', probe])).out);
  assert.doesNotMatch(off, /UNFAMILIAR/);
  // The database's own vocabulary is familiar, whatever the headers.
  const known = join(dir, 'known.eml');
  writeFileSync(known, PROBE_UNFAMILIAR.replace(/\n\n[^]*$/, `\n\n${[...SPAM_WORDS, ...HAM_WORDS].join(' ')} ${SPAM_WORDS.join(' ')}\n`));
  assert.doesNotMatch(status((await hamlet([...baseArgs(dir), known])).out), /UNFAMILIAR/);
  // A person writing in another language from a free mailbox: unfamiliar, but no spam tool's header, so no meta.
  const personal = join(dir, 'personal.eml');
  writeFileSync(personal, `From: Min-jun <minjun@naver.com>\nTo: bob@example.net\nSubject: =?UTF-8?B?${Buffer.from('안녕하세요').toString('base64')}?=\nMessage-ID: <p4@mail.naver.com>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${KOREAN_TEXT}\n`);
  const p = (await hamlet([...baseArgs(dir), personal])).out;
  assert.match(status(p), /\bHL_BAYES_UNFAMILIAR\b/);
  assert.doesNotMatch(status(p), /HL_UNFAMILIAR_MACHINE/);
  assert.ok(scoreOf(p) < 3, `a personal message in Korean scored ${scoreOf(p)}: ${status(p)}`);
});
