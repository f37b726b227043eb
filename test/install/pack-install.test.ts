/**
 * The package as users get it: `npm pack` of a copy of the checkout (no dist/: the pack's
 * `prepack` builds it), then `npm install -g` of the tarball into a clean prefix. The installed
 * commands must check a message, learn an mbox and serve spamc. Slow (a full build and an install),
 * so it is one test. Dependencies come from npm's cache or the registry; when neither can give them
 * the test reports itself skipped with npm's error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SAMPLE_SPAM, waitFor } from '../spamd/helpers';

const ROOT = resolve(__dirname, '..', '..', '..');
const SPAMC = '/usr/bin/spamc';
/** What a checkout holds that packing needs (sources, the build's config, the packed folders). */
const CHECKOUT = ['package.json', 'package-lock.json', 'tsconfig.json', 'src', 'bin', 'rules', 'data', 'docs', 'man', 'contrib'];

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
}

test('npm pack, npm install -g into a clean prefix: hamlet checks a message, hamlet-learn learns an mbox, hamletd serves spamc', { timeout: 30 * 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-pack-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'checkout');
  mkdirSync(src);
  for (const p of CHECKOUT) cpSync(join(ROOT, p), join(src, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  assert.ok(!existsSync(join(src, 'dist')), 'the copy must start without a build');

  const pack = sh('npm', ['pack', '--pack-destination', dir], src);
  assert.equal(pack.status, 0, pack.stderr);
  const tgz = join(dir, pack.stdout.trim().split('\n').pop()!);
  const list = sh('tar', ['-tzf', tgz], dir).stdout;
  for (const f of ['package/dist/src/cli/hamlet.js', 'package/dist/src/spamd/worker.js', 'package/dist/src/bayes/learn-worker.js', 'package/dist/src/config/redos-verdicts.json', 'package/rules/10_settings.cf', 'package/bin/hamletd.js', 'package/man/hamletd.1', 'package/contrib/hamletd.service']) {
    assert.ok(list.includes(`${f}\n`), `${f} is not in the tarball`);
  }
  assert.doesNotMatch(list, /^package\/(?:src|test|bench|dist\/test)\//m, 'sources or tests packed');

  const prefix = join(dir, 'prefix');
  const install = sh('npm', ['install', '-g', tgz, '--prefix', prefix, '--prefer-offline', '--allow-scripts=better-sqlite3', '--no-audit', '--no-fund'], dir);
  if (install.status !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(install.stderr)) {
    t.skip(`npm could not fetch the dependencies: ${install.stderr.split('\n').find((l) => /ERR/.test(l)) ?? install.stderr.slice(0, 200)}`);
    return;
  }
  assert.equal(install.status, 0, install.stderr);
  const bin = (name: string): string => join(prefix, 'bin', name);
  for (const page of ['hamlet.1', 'hamlet-learn.1', 'hamletd.1']) {
    assert.ok(existsSync(join(prefix, 'share', 'man', 'man1', page)), `npm did not install the man page ${page}`);
  }
  const env = { ...process.env, HOME: join(dir, 'home'), HAMLET_CACHE_DIR: join(dir, 'cache') };

  const checked = sh(bin('hamlet'), ['-L', '-t', join(prefix, 'lib', 'node_modules', 'hamlet', 'data', 'sample-spam.eml')], dir, env);
  assert.equal(checked.status, 0, checked.stderr);
  assert.match(checked.stdout, /^X-Spam-Flag: YES$/m);
  assert.match(checked.stdout, /Content analysis details:/);

  const mbox = join(dir, 'spam.mbox');
  const one = readFileSync(join(src, 'data', 'sample-spam.eml'), 'latin1');
  // A different message (Bayes skips one it has seen, by a digest of its date and text).
  const second = `${one.replace(/^Message-ID:.*$/im, 'Message-ID: <second@example.org>').replace(/^Date:.*$/im, 'Date: Tue, 03 Nov 2026 04:00:00 +0000')}A second, reworded copy.\n`;
  writeFileSync(mbox, `From a@example.org Mon Dec  7 09:00:00 2026\n${one}\nFrom b@example.org Mon Dec  7 09:01:00 2026\n${second}\n`, 'latin1');
  const learned = sh(bin('hamlet-learn'), ['--dbpath', join(dir, 'db', 'bayes'), '--mbox', '--spam', '--showdots', mbox], dir, env);
  assert.equal(learned.status, 0, learned.stderr);
  assert.match(learned.stdout, /^Learned tokens from 2 message\(s\) \(2 message\(s\) examined\)$/m);
  assert.equal(learned.stderr, '..\n');

  const d = spawn(bin('hamletd'), ['-s', 'stderr', '-i', '127.0.0.1', '-p', '0', '-L', '-m', '1'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  d.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  try {
    assert.ok(await waitFor(() => /server started on 127\.0\.0\.1:(\d+)/.test(log) || d.exitCode !== null, 60_000), `hamletd did not start:\n${log}`);
    const port = /server started on 127\.0\.0\.1:(\d+)/.exec(log)?.[1];
    assert.ok(port, log);
    if (!existsSync(SPAMC) || !existsSync(SAMPLE_SPAM)) {
      t.diagnostic(`spamc not installed: hamletd started (${port}) but was not asked`);
      return;
    }
    const input = readFileSync(SAMPLE_SPAM);
    const scored = spawnSync(SPAMC, ['-d', '127.0.0.1', '-p', port, '-c'], { input, encoding: 'utf8' });
    assert.match(scored.stdout, /^\d+(?:\.\d+)?\/5\.0$/m, `spamc -c said ${JSON.stringify(scored.stdout)} \n${log}`);
  } finally {
    if (d.exitCode === null) {
      const gone = new Promise((r) => d.once('exit', r));
      process.kill(d.pid!, 'SIGTERM');
      await gone;
    }
  }
});
