/**
 * Haraka 3 with haraka-plugin-spamassassin 1.1.2 in front of hamletd, fed by swaks:
 * HEADERS without Content-length, half-close, User = first recipient. A ham is
 * queued; GTUBE scores over reject_threshold and is refused with 550. Installed by
 * test/spamd/clients/install.sh; skipped, visibly, without Haraka or swaks.
 */
import { suiteUnless } from '../helpers/visible-skip';
import { snippet, substitute } from '../e2e/doc-snippets';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientsDir, freePort, smallRules, startHamletd, waitFor, type Running } from './helpers';

const haraka = join(clientsDir(), 'node_modules', 'Haraka', 'bin', 'haraka');
const swaks = spawnSync('sh', ['-c', 'command -v swaks']).stdout.toString().trim();
const missing = !existsSync(haraka)
  ? `skipped: Haraka not installed (run test/spamd/clients/install.sh; looked for ${haraka})`
  : !swaks
    ? 'skipped: swaks not installed (apt-get install swaks)'
    : undefined;
if (missing) console.log(`# haraka.test: ${missing}`);

suiteUnless(missing, 'Haraka + haraka-plugin-spamassassin against hamletd', () => {
  let d: Running;
  let h: ChildProcess;
  let log = '';
  let smtp = 0;
  const send = (body: string): string =>
    spawnSync(swaks, ['--server', `127.0.0.1:${smtp}`, '--from', 's@example.org', '--to', 'r@example.test', '--body', body, '--timeout', '60'], { timeout: 90_000 }).stdout.toString();

  before(async () => {
    d = await startHamletd(['-C', smallRules(), '-m', '1']);
    const dir = mkdtempSync(join(tmpdir(), 'hamletd-haraka-'));
    const srv = join(dir, 'srv');
    spawnSync(process.execPath, [haraka, '-i', srv], { stdio: 'ignore' });
    smtp = await freePort();
    writeFileSync(join(srv, 'config', 'plugins'), 'rcpt_to.in_host_list\nspamassassin\nqueue/discard\n');
    writeFileSync(join(srv, 'config', 'host_list'), 'example.test\n');
    writeFileSync(join(srv, 'config', 'smtp.ini'), `listen=127.0.0.1:${smtp}\nnodes=0\n`);
    // The tutorial's recipe (docs/tutorial-postfix-amavis.md), pointed at this hamletd.
    writeFileSync(join(srv, 'config', 'spamassassin.ini'), substitute(snippet('spamassassin.ini'), [['127.0.0.1:783', `127.0.0.1:${d.port}`]]));
    writeFileSync(join(srv, 'config', 'log.ini'), '[main]\nlevel=info\n');
    h = spawn(process.execPath, [haraka, '-c', srv], { env: { ...process.env, YES_REALLY_DO_DISCARD: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    h.stdout!.on('data', (b: Buffer) => (log += b.toString()));
    h.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    assert.ok(await waitFor(() => /Listening on 127\.0\.0\.1/.test(log), 60_000), `Haraka did not start:\n${log}`);
  });
  after(async () => {
    if (h && h.exitCode === null) {
      const gone = new Promise((r) => h.once('exit', r));
      process.kill(h.pid!, 'SIGTERM');
      const t = setTimeout(() => h.exitCode === null && process.kill(h.pid!, 'SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    await d.stop();
  });

  test('a ham is queued with the verdict hamletd gave', async () => {
    assert.match(send('just a note, nothing cheap'), /250 Message Queued/);
    assert.ok(await waitFor(() => /status=No, score=2\.5, required=5\.0/.test(log), 10_000), log.slice(-2000));
    assert.match(d.log(), /user=r@example\.test/);
  });

  test('GTUBE scores over reject_threshold: 550', async () => {
    const out = send('XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X');
    assert.match(out, /550 spam score exceeded threshold/);
    assert.ok(await waitFor(() => /status=Yes, score=1000\.0, required=5\.0, reject=20, tests="GTUBE"/.test(log), 10_000), log.slice(-2000));
  });
});
