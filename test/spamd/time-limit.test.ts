/**
 * An administrator's runaway rule through hamletd (raw protocol and the real spamc): the answer
 * comes within time_limit + 1 s with the other rules' results and TIME_LIMIT_EXCEEDED, never
 * `79 Timeout` (which spamc turns into mail passed unfiltered).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { raw, request, smallRules, startHamletd, type Running } from './helpers';

const SPAMC = '/usr/bin/spamc';
const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
const MSG = `Subject: hello\r\nMessage-ID: <t1@example.com>\r\n\r\nsomething cheap\r\n${'a'.repeat(40)}!\r\n${GTUBE}\r\n`;

describe('hamletd: a runaway admin rule with time_limit 2', () => {
  let d: Running;
  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-m', '1', '--timeout-child', '30', '--cf', 'time_limit 2', '--cf', 'body ADMIN_X /(a+)+$/', '--cf', 'body ADMIN_Y /(a+)+\\1x/']);
  });
  after(async () => {
    await d.stop();
  });

  test('raw SYMBOLS: the other rules and TIME_LIMIT_EXCEEDED, within 3 s', async () => {
    const t0 = Date.now();
    const r = (await raw(d.port, request('SYMBOLS', MSG), { timeoutMs: 30_000 })).toString('latin1');
    const secs = (Date.now() - t0) / 1000;
    assert.ok(secs < 3, `answered after ${secs} s`);
    assert.match(r, /^SPAMD\/1\.1 0 EX_OK\r\n/);
    assert.match(r, /\r\nSpam: True ; 1004\.0 \/ 5\.0\r\n/);
    const symbols = r.slice(r.indexOf('\r\n\r\n') + 4).split(',');
    for (const s of ['BODY_CHEAP', 'GTUBE', 'SUBJ_HELLO', 'TIME_LIMIT_EXCEEDED']) assert.ok(symbols.includes(s), `${s} in ${symbols.join(',')}`);
    assert.ok(!symbols.includes('ADMIN_Y'));
    assert.match(d.log(), /TIME_LIMIT_EXCEEDED/);
  });

  test('real spamc -y: the same symbols, exit 0', { skip: existsSync(SPAMC) ? undefined : 'spamc not installed' }, () => {
    const t0 = Date.now();
    const r = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', String(d.port), '-y'], { input: MSG, timeout: 30_000 });
    const secs = (Date.now() - t0) / 1000;
    assert.ok(secs < 3, `answered after ${secs} s`);
    assert.equal(r.status, 0);
    const symbols = r.stdout.toString().trim().split(',');
    for (const s of ['BODY_CHEAP', 'GTUBE', 'SUBJ_HELLO', 'TIME_LIMIT_EXCEEDED']) assert.ok(symbols.includes(s), `${s} in ${symbols.join(',')}`);
  });
});
