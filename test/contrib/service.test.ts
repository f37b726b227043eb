/**
 * contrib/: the systemd unit passes `systemd-analyze verify`, the OPTIONS of
 * hamletd.default (with the unit's own arguments) start hamletd, and SIGHUP (the
 * unit's ExecReload, logrotate's postrotate) makes it write to a fresh log file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, freePort, smallRules, waitFor } from '../spamd/helpers';

const CONTRIB = join(__dirname, '..', '..', '..', 'contrib');
const unit = readFileSync(join(CONTRIB, 'hamletd.service'), 'utf8');
const analyze = spawnSync('systemd-analyze', ['--version']).status === 0 ? undefined : 'systemd-analyze is not installed';

/** `Key=value` lines of the unit, by key (the last one wins, as in systemd). */
function directives(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (kv) m.set(kv[1]!, kv[2]!);
  }
  return m;
}

/** The unit's ExecStart with `$OPTIONS` replaced by the default file's words (systemd splits them on whitespace). */
function commandLine(): string[] {
  const opts = /^OPTIONS="([^"]*)"$/m.exec(readFileSync(join(CONTRIB, 'hamletd.default'), 'utf8'));
  assert.ok(opts, 'hamletd.default sets OPTIONS');
  const exec = directives(unit).get('ExecStart')!.split(/\s+/);
  return exec.slice(1).flatMap((w) => (w === '$OPTIONS' ? opts[1]!.split(/\s+/).filter(Boolean) : [w]));
}

test('systemd-analyze verify accepts the unit', { skip: analyze }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-unit-'));
  // verify checks that ExecStart's program exists: point it at this checkout's.
  writeFileSync(join(dir, 'hamletd.service'), unit.replace(/^ExecStart=\/usr\/bin\/hamletd /m, `ExecStart=${BIN} `));
  const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, 'hamletd.service')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '');
});

test('the unit: own user, hardening, reload by SIGHUP', () => {
  const d = directives(unit);
  assert.equal(d.get('User'), 'hamlet');
  for (const k of ['NoNewPrivileges', 'PrivateTmp']) assert.equal(d.get(k), 'yes', k);
  assert.equal(d.get('ProtectSystem'), 'strict');
  assert.equal(d.get('ProtectHome'), 'yes');
  assert.equal(d.get('ExecReload'), '/bin/kill -HUP $MAINPID');
  assert.match(d.get('ReadWritePaths')!, /\/var\/lib\/hamlet/);
  // The one capability: the default port, 783, is below 1024.
  assert.ok(commandLine().includes('783'));
  assert.equal(d.get('CapabilityBoundingSet'), 'CAP_NET_BIND_SERVICE');
});

test("the unit's command line starts hamletd, which reopens its log on SIGHUP", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-unit-run-'));
  const log = join(dir, 'hamletd.log');
  const port = String(await freePort());
  // Paths and the port are the host's; everything else is as the unit and its defaults give it.
  const args = commandLine().map((w, i, all) => (all[i - 1] === '-s' ? log : all[i - 1] === '-p' ? port : w.replace(/^--pidfile=.*/, `--pidfile=${join(dir, 'pid')}`)));
  const proc = spawn(process.execPath, [BIN, ...args, '-C', smallRules()], { stdio: 'ignore' });
  try {
    const text = (f: string): string => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    assert.ok(await waitFor(() => /server started on 127\.0\.0\.1:\d+/.test(text(log)), 60_000), text(log));
    assert.equal(readFileSync(join(dir, 'pid'), 'utf8').trim(), String(proc.pid));
    renameSync(log, `${log}.1`);
    process.kill(proc.pid!, 'SIGHUP');
    assert.ok(await waitFor(() => /server hit by SIGHUP/.test(text(log)), 10_000), 'the new file gets the lines after SIGHUP');
    assert.ok(await waitFor(() => /configuration reloaded/.test(text(log)), 60_000), text(log));
    assert.doesNotMatch(text(`${log}.1`), /SIGHUP/);
  } finally {
    proc.kill('SIGTERM');
  }
});
