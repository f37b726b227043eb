/** hamletd's log targets (-s): stderr, a file (reopened on SIGHUP), null, syslog. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeLogger, stamp, stderrStamp } from '../../src/spamd/log';
import { BIN, raw, request, smallRules, startHamletd, waitFor } from './helpers';

test("spamd's time stamps: a file's `Mon Dec  7 05:45:54 2026`, stderr's `Dec  7 05:45:54.470`", () => {
  const d = new Date(2026, 11, 7, 5, 45, 54, 47);
  assert.equal(stamp(d), 'Mon Dec  7 05:45:54 2026');
  assert.equal(stderrStamp(d), 'Dec  7 05:45:54.047');
  assert.equal(stamp(new Date(2026, 10, 28, 23, 1, 2)), 'Sat Nov 28 23:01:02 2026');
});

test('stderr: spamd-like lines; debug only when asked', () => {
  const out: string[] = [];
  const log = makeLogger('stderr', false, (s) => out.push(s));
  log('info', 'hello');
  log('debug', 'hidden');
  assert.equal(out.length, 1);
  assert.match(out[0]!, new RegExp(`^\\w{3} [ \\d]\\d [\\d:]{8}\\.\\d{3} \\[${process.pid}\\] info: hamletd: hello\\n$`));
});

test("spamd's lines carry spamd's area name", () => {
  const out: string[] = [];
  makeLogger('stderr', false, (s) => out.push(s))('info', 'result: Y 18 - X', { area: 'spamd' });
  assert.match(out[0]!, /\] info: spamd: result: Y 18 - X\n$/);
});

test('--log-format json: one object per line, the facts as fields, unsafe characters escaped', () => {
  const out: string[] = [];
  const log = makeLogger('stderr', false, (s) => out.push(s), 'json');
  log('info', 'result: . -1 - BAYES_00', { area: 'spamd', fields: { event: 'result', score: -1.5, tests: ['BAYES_00'], user: 'a\u2028b\nc' } });
  assert.equal(out.length, 1);
  assert.ok(out[0]!.endsWith('}\n'));
  assert.equal(out[0]!.split('\n').length, 2, 'one line');
  assert.doesNotMatch(out[0]!, /\u2028/);
  const o = JSON.parse(out[0]!) as Record<string, unknown>;
  assert.equal(o.level, 'info');
  assert.equal(o.area, 'spamd');
  assert.equal(o.pid, process.pid);
  assert.equal(o.msg, 'result: . -1 - BAYES_00');
  assert.equal(o.event, 'result');
  assert.equal(o.score, -1.5);
  assert.deepEqual(o.tests, ['BAYES_00']);
  assert.equal(o.user, 'a\u2028b\nc');
  assert.ok(!Number.isNaN(Date.parse(o.time as string)));
});

test('a file, reopened after rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-log-'));
  const path = join(dir, 'hamletd.log');
  const log = makeLogger(path, false, () => assert.fail('nothing on stderr'));
  log('info', 'one');
  renameSync(path, path + '.1');
  log.reopen();
  log('warn', 'two');
  log.close();
  assert.match(readFileSync(path + '.1', 'utf8'), /info: hamletd: one\n$/);
  assert.match(readFileSync(path, 'utf8'), /warn: hamletd: two\n$/);
});

test('null writes nothing; syslog without /dev/log says so and uses stderr', () => {
  makeLogger('null', true, () => assert.fail('null logs nothing'))('error', 'x');
  if (existsSync('/dev/log')) return;
  const out: string[] = [];
  const log = makeLogger('mail', false, (s) => out.push(s));
  log('info', 'kept');
  assert.match(out.join(''), /no \/dev\/log: logging to stderr instead of syslog facility mail[\s\S]*info: hamletd: kept/);
});

test('hamletd --log-format json: every line is an object; a scan gives its result as fields', async () => {
  const d = await startHamletd(['-C', smallRules(), '-x', '-m', '1', '--log-format', 'json']);
  try {
    const reply = await raw(d.port, request('CHECK', 'Subject: hello\nMessage-ID: <j@x>\n\ncheap\n', { User: 'alice' }));
    assert.match(reply.toString(), /Spam: False ; 4\.0 \/ 5\.0/);
    assert.ok(await waitFor(() => d.log().includes('"event":"result"'), 5000), d.log());
    const objects = d.log().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(objects.every((o) => typeof o.time === 'string' && o.pid === d.pid && typeof o.level === 'string' && typeof o.msg === 'string'));
    const result = objects.find((o) => o.event === 'result')!;
    assert.equal(result.area, 'spamd');
    assert.match(result.msg as string, /^result: \. {2}4 - BODY_CHEAP,SUBJ_HELLO scantime=/);
    assert.deepEqual(result.tests, ['BODY_CHEAP', 'SUBJ_HELLO']);
    assert.equal(result.score, 4);
    assert.equal(result.spam, false);
    assert.equal(result.user, 'alice');
    assert.equal(result.mid, '<j@x>');
    assert.equal(result.raddr, '127.0.0.1');
    assert.deepEqual(
      objects.filter((o) => o.area === 'spamd').map((o) => o.event),
      ['connection', 'message', 'verdict', 'result'],
    );
  } finally {
    await d.stop();
  }
});

test('hamletd --log-format takes text or json only', () => {
  const r = spawnSync(process.execPath, [BIN, '--log-format', 'xml'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 64);
  assert.match(r.stderr, /^hamletd: --log-format must be text or json, not "xml"$/m);
});
