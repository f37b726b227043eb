/** hamletd's log targets (-s): stderr, a file (reopened on SIGHUP), null, syslog. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeLogger, stamp } from '../../src/spamd/log';

test("spamd's time stamp", () => {
  assert.match(stamp(new Date()), /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \d{4}$/);
});

test('stderr: spamd-like lines; debug only when asked', () => {
  const out: string[] = [];
  const log = makeLogger('stderr', false, (s) => out.push(s));
  log('info', 'hello');
  log('debug', 'hidden');
  assert.equal(out.length, 1);
  assert.match(out[0]!, new RegExp(`^\\w{3} \\w{3} \\d{2} [\\d:]{8} \\d{4} \\[${process.pid}\\] info: hamletd: hello\\n$`));
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
