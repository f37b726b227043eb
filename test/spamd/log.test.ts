/** hamletd's log targets (-s): stderr, a file (reopened on SIGHUP), null, syslog. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLogger, stamp, stderrStamp } from '../../src/spamd/log';

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
