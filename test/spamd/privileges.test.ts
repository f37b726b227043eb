/**
 * hamletd started as root: -u drops root after binding; without -u, a user's
 * files stay inside that user's home, owned by that user (0600 files, 0700
 * directories, SQLite's -wal/-shm included), no symlink is followed out of it,
 * and users it cannot serve as themselves (nobody, with /nonexistent) get no
 * files at all. Runs only as root (a test user is made with useradd in a temp
 * home and removed after); elsewhere each test reports itself skipped.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwdEntry } from '../../src/spamd/user-prefs';
import { PREFS_TEMPLATE } from '../../src/spamd/prefs-template';
import { raw, request, SAMPLE_HAM, SAMPLE_SPAM, smallRules, startHamletd, type Running } from './helpers';

const isRoot = process.getuid?.() === 0;
const SPAM = readFileSync(SAMPLE_SPAM);
const HAM = readFileSync(SAMPLE_HAM);
const s = (b: Buffer): string => b.toString('latin1');
const OK = 'SPAMD/1.1 0 EX_OK\r\n';

/** Bayes (BAYES_ANY hits whenever Bayes answers) and the AWL, both at their default per-user places. */
const FEEDBACK_RULES = [
  "body BAYES_ANY eval:check_bayes('0.00', '1.00')",
  'bayes_min_spam_num 1',
  'bayes_min_ham_num 1',
  'bayes_auto_learn 0',
  'header AWL eval:check_from_in_auto_welcomelist()',
  'use_auto_welcomelist 1',
].join('\n');

interface Entry {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly kind: 'dir' | 'file' | 'link';
}

/** Everything below `dir`, without following symlinks. */
function walk(dir: string): Entry[] {
  const out: Entry[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file';
    out.push({ path, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777, kind });
    if (kind === 'dir') out.push(...walk(path));
  }
  return out;
}

describe('hamletd started as root', { skip: isRoot ? false : 'skipped: needs root (useradd, chown, setuid)' }, () => {
  let base: string;
  let home: string;
  let daemonHome: string;
  let user = '';
  let pw: { uid: number; gid: number; home: string };
  let rules: string;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'hamletd-privs-'));
    home = join(base, 'home', 'victim');
    daemonHome = join(base, 'daemon-home');
    mkdirSync(daemonHome, { recursive: true });
    mkdirSync(home, { recursive: true });
    user = `hmv${process.pid % 1_000_000}`;
    const r = spawnSync('useradd', ['-M', '-d', home, '-s', '/usr/sbin/nologin', '-U', user], { encoding: 'utf8' });
    assert.equal(r.status, 0, `useradd: ${r.stderr}`);
    pw = passwdEntry(user)!;
    chownSync(home, pw.uid, pw.gid);
    rules = smallRules(FEEDBACK_RULES);
  });

  after(() => {
    if (user) spawnSync('userdel', [user], { encoding: 'utf8' });
    rmSync(base, { recursive: true, force: true });
  });

  /** A root hamletd without -u whose own home is a temp directory (so "the daemon's files" are visible too). */
  const start = (extra: string[] = []): Promise<Running> =>
    startHamletd(['-C', rules, '-m', '1', '-l', ...extra], { env: { ...process.env, HOME: daemonHome } });

  /** Empty the user's home; make a root-owned directory `name` outside it, for bait. */
  const resetHome = (name: string): string => {
    for (const f of readdirSync(home)) rmSync(join(home, f), { recursive: true, force: true });
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  /** A directory in the user's home, the user's. */
  const userDir = (name: string): void => {
    mkdirSync(join(home, name));
    chownSync(join(home, name), pw.uid, pw.gid);
  };

  const learnAndCheck = async (d: Running, who: string): Promise<string> => {
    const t = s(await raw(d.port, request('TELL', SPAM, { 'Message-class': 'spam', Set: 'local', User: who })));
    assert.match(t, /^SPAMD\/1\.1 0 EX_OK\r\n/);
    const c = s(await raw(d.port, request('SYMBOLS', SPAM, { User: who })));
    assert.match(c, /^SPAMD\/1\.1 0 EX_OK\r\nContent-length: \d+\r\nSpam: True ; 1000\.0 \/ 5\.0\r\n/, "the scan is answered");
    return c;
  };

  test('User: nobody (home /nonexistent) creates nothing, anywhere, and says why in the log', async (t) => {
    const nobody = passwdEntry('nobody');
    if (!nobody || existsSync(nobody.home)) return t.skip(`skipped: nobody's home ${nobody?.home} exists here`);
    const before = walk(base).map((e) => e.path);
    const d = await start();
    try {
      await learnAndCheck(d, 'nobody');
      assert.ok(!existsSync(nobody.home), `${nobody.home} was created`);
      assert.deepEqual(walk(base).map((e) => e.path), before, 'nothing new, not even in the daemon\'s own home');
      assert.match(d.log(), /warn: hamletd: .*no user preferences: still running as root \(no -u\): user "nobody" has no home directory of its own \(\/nonexistent\)/);
      assert.match(d.log(), /tell: no Bayes database for this user\n.*spamd: Tell: Did nothing for nobody:\d+ in /);
    } finally {
      await d.stop();
    }
  });

  test('User: root gets the site configuration and no files either', async () => {
    const before = walk(base).map((e) => e.path);
    const d = await start();
    try {
      await learnAndCheck(d, 'root');
      assert.deepEqual(walk(base).map((e) => e.path), before);
      assert.match(d.log(), /still running as root \(no -u\): user "root" is root/);
    } finally {
      await d.stop();
    }
  });

  test("a user's new files are the user's: 0700 directory, 0600 files including -wal and -shm, and --create-prefs", async () => {
    resetHome('unused');
    const d = await start(['--create-prefs']);
    try {
      await learnAndCheck(d, user);
      assert.equal(s(await raw(d.port, request('TELL', HAM, { 'Message-class': 'ham', Set: 'local', User: user }))), `${OK}DidSet: local\r\n\r\n\r\n`);
      const symbols = s(await raw(d.port, request('SYMBOLS', SPAM, { User: user })));
      assert.match(symbols, /BAYES_ANY/, 'Bayes learned into and read from the user\'s database');
      // While hamletd holds the databases open, SQLite's companions exist: check them too.
      const entries = walk(home);
      const names = entries.map((e) => e.path.slice(home.length + 1)).sort();
      for (const f of ['.hamlet', '.hamlet/bayes.sqlite', '.hamlet/bayes.sqlite-wal', '.hamlet/bayes.sqlite-shm', '.hamlet/auto-welcomelist.sqlite', '.hamlet/user_prefs']) {
        assert.ok(names.includes(f), `${f} missing from ${names.join(', ')}`);
      }
      for (const e of entries) {
        assert.deepEqual([e.path, e.kind, e.uid, e.gid, e.mode.toString(8)], [e.path, e.kind === 'dir' ? 'dir' : 'file', pw.uid, pw.gid, e.kind === 'dir' ? '700' : '600']);
      }
      assert.equal(readFileSync(join(home, '.hamlet', 'user_prefs'), 'utf8'), PREFS_TEMPLATE);
      assert.deepEqual(walk(daemonHome), [], "nothing in the daemon's own home");
    } finally {
      await d.stop();
    }
  });

  test('~/.hamlet/bayes.sqlite a symlink out of the home: its target is neither created nor written; the scan is answered without Bayes', async () => {
    const outside = resetHome('outside');
    userDir('.hamlet');
    const target = join(outside, 'made-by-root.sqlite');
    symlinkSync(target, join(home, '.hamlet', 'bayes.sqlite'));
    // An existing file outside, reached through the AWL's name: must stay as it is.
    const bait = join(outside, 'existing');
    writeFileSync(bait, 'not yours\n');
    symlinkSync(bait, join(home, '.hamlet', 'auto-welcomelist.sqlite'));
    const baitBefore = statSync(bait);
    const d = await start();
    try {
      const symbols = await learnAndCheck(d, user);
      assert.doesNotMatch(symbols, /BAYES_ANY/);
      for (const f of [target, `${target}-wal`, `${target}-shm`, `${target}-journal`, `${bait}-wal`, `${bait}-shm`]) assert.ok(!existsSync(f), `${f} was created`);
      const baitAfter = statSync(bait);
      assert.deepEqual([baitAfter.size, baitAfter.mtimeMs, readFileSync(bait, 'utf8')], [baitBefore.size, baitBefore.mtimeMs, 'not yours\n']);
      assert.match(d.log(), /warn: hamletd: .*bayes\.sqlite is a symbolic link; not following it/);
      assert.match(d.log(), /auto-welcomelist\.sqlite is a symbolic link/);
    } finally {
      await d.stop();
    }
  });

  test('~/.hamlet itself a symlink, a root-owned database, a symlinked user_prefs: all refused', async () => {
    const elsewhere = resetHome('elsewhere');
    symlinkSync(elsewhere, join(home, '.hamlet'));
    userDir('.spamassassin');
    // A prefs file the user does not own (a stand-in for a hard link or a symlink to a system file).
    const secret = join(base, 'secret-prefs');
    writeFileSync(secret, 'required_score 1000\n');
    symlinkSync(secret, join(home, '.spamassassin', 'user_prefs'));
    const d = await start();
    try {
      await learnAndCheck(d, user);
      assert.deepEqual(readdirSync(elsewhere), [], 'nothing created through the linked directory');
      assert.match(d.log(), /not reading .*user_prefs: .*is a symbolic link/);
      rmSync(join(home, '.hamlet'));
      userDir('.hamlet');
      writeFileSync(join(home, '.hamlet', 'bayes.sqlite'), ''); // root's, in the user's tree
      const c = s(await raw(d.port, request('SYMBOLS', HAM, { User: user })));
      assert.match(c, /^SPAMD\/1\.1 0 EX_OK\r\n/);
      assert.match(d.log(), /bayes\.sqlite belongs to uid 0, not to the user/);
      assert.equal(statSync(join(home, '.hamlet', 'bayes.sqlite')).size, 0, 'the root-owned file was not written');
    } finally {
      await d.stop();
    }
  });

  test('--virtual-config-dir without -u is refused at start, as spamd refuses it', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', '..', 'bin', 'hamletd.js'), '-C', rules, '-s', 'stderr', '-i', '127.0.0.1', '-p', '0', '--virtual-config-dir', join(base, 'v', '%u')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 64);
    assert.match(r.stderr, /^hamletd: cannot use --virtual-config-dir without -u when started as root/m);
  });

  test('-u: uid, gid and supplementary groups are all dropped after binding', async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(rules, 0o755);
    for (const f of readdirSync(rules)) chmodSync(join(rules, f), 0o644);
    const d = await startHamletd(['-C', rules, '-m', '1', '-u', user], { env: { ...process.env, HOME: daemonHome } });
    try {
      const status = readFileSync(`/proc/${d.pid}/status`, 'utf8');
      assert.match(status, new RegExp(`^Uid:\\s+${pw.uid}\\s+${pw.uid}\\s+${pw.uid}\\s+${pw.uid}$`, 'm'));
      assert.match(status, new RegExp(`^Gid:\\s+${pw.gid}\\s+${pw.gid}\\s+${pw.gid}\\s+${pw.gid}$`, 'm'));
      assert.match(status, new RegExp(`^Groups:\\s*(?:${pw.gid}\\s*)?$`, 'm'));
      assert.match(d.log(), new RegExp(`running as ${user} \\(uid ${pw.uid}, gid ${pw.gid}\\)`));
      assert.equal(s(await raw(d.port, request('CHECK', SPAM))), `${OK}Spam: True ; 1000.0 / 5.0\r\n\r\n`);
    } finally {
      await d.stop();
    }
  });
});
