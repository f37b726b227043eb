/** Per-user preferences: where they are looked for, and that no User value leaves the tree. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPattern, inside, locatePrefs, patternRoot, safeUserName } from '../../src/spamd/user-prefs';
import { loadUserRules } from '../../src/spamd/worker';
import { checkMessage } from '../../src/check/index';
import { raw, request, smallRules, startHamletd, unprivileged, type Running } from './helpers';

test('virtual user names keep only spamd\'s characters', () => {
  assert.equal(safeUserName('jm@example.com'), 'jm@example.com');
  assert.equal(safeUserName('../../etc'), '.._.._etc');
  assert.equal(safeUserName('a b/c\0d'), 'a_b_c_d');
});

test('pattern escapes %u %l %d %x %%', () => {
  assert.equal(expandPattern('/v/%d/%l/%u/100%%', 'jm@example.com'), '/v/example.com/jm/jm@example.com/100%');
  assert.equal(expandPattern('/v/%x', 'jm@example.com', () => false), '/v/example.com');
  assert.equal(expandPattern('/v/%x', 'jm@example.com', () => true), '/v/jm@example.com');
  assert.equal(patternRoot('/v/users/%u/sa'), '/v/users');
  assert.equal(patternRoot('/v/users/u-%u'), '/v/users');
  assert.ok(inside('/v/users', '/v/users/bob'));
  assert.ok(!inside('/v/users', '/v/etc'));
});

describe('no User value names a file outside the prefs tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'hamletd-prefs-'));
  const users = join(root, 'users');
  mkdirSync(join(users, 'bob'), { recursive: true });
  writeFileSync(join(users, 'bob', 'user_prefs'), 'score SUBJ_HELLO 20\n');
  // Bait outside the tree: a prefs file a traversal would reach.
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'user_prefs'), 'score SUBJ_HELLO 50\n');
  writeFileSync(join(users, 'user_prefs'), 'score SUBJ_HELLO 60\n');
  const policy = { virtualConfigDir: join(users, '%u'), userConfig: false };

  for (const evil of ['../etc', '../../etc', '..', '.', '%2e%2e', 'bob/../../etc', '/etc', '../users/../etc', '']) {
    test(`User: ${JSON.stringify(evil)}`, () => {
      const loc = locatePrefs(evil, policy);
      assert.ok(loc.file === undefined || inside(users, loc.file), `${loc.file}`);
      assert.ok(loc.dir === undefined || (inside(users, loc.dir) && loc.dir !== users), `${loc.dir}`);
    });
  }
  test('home-directory mode refuses path-like names and unknown users', () => {
    assert.ok(locatePrefs('../../etc', { userConfig: true, homeOf: () => '/tmp' }).refused);
    assert.ok(locatePrefs('nosuchuser', { userConfig: true, homeOf: () => undefined }).refused);
    assert.equal(locatePrefs('bob', policy).file, join(users, 'bob', 'user_prefs'));
  });

  test("home-directory mode: ~/.hamlet/user_prefs first, else spamd's ~/.spamassassin/user_prefs; the home is the stores' ~", () => {
    const home = mkdtempSync(join(tmpdir(), 'hamletd-home-'));
    const homeOf = (u: string): string | undefined => (u === 'carol' ? home : undefined);
    const carol = locatePrefs('carol', { userConfig: true, homeOf });
    assert.deepEqual([carol.file, carol.dir, carol.tree?.root], [undefined, home, home]);
    mkdirSync(join(home, '.spamassassin'));
    writeFileSync(join(home, '.spamassassin', 'user_prefs'), 'required_score 4\n');
    assert.equal(locatePrefs('carol', { userConfig: true, homeOf }).file, join(home, '.spamassassin', 'user_prefs'));
    mkdirSync(join(home, '.hamlet'));
    writeFileSync(join(home, '.hamlet', 'user_prefs'), 'required_score 3\n');
    assert.equal(locatePrefs('carol', { userConfig: true, homeOf }).file, join(home, '.hamlet', 'user_prefs'));
    assert.equal(locatePrefs('carol', { userConfig: false, homeOf }).file, undefined, '-x');
  });

  let d: Running;
  const HAM = 'Subject: hello there\r\n\r\nJust a note.\r\n';
  before(async () => {
    const rules = smallRules();
    d = await startHamletd(['-C', rules, '-m', '1', '--virtual-config-dir', join(users, '%u'), ...unprivileged(rules, [root])]);
  });
  after(async () => {
    await d.stop();
  });
  test('over the wire: bob gets his score, ../../etc gets the site default', async () => {
    assert.equal((await raw(d.port, request('CHECK', HAM, { User: 'bob' }))).toString(), 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 20.0 / 5.0\r\n\r\n');
    for (const u of ['../../etc', '..', '../etc']) {
      assert.equal((await raw(d.port, request('CHECK', HAM, { User: u }))).toString(), 'SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1.5 / 5.0\r\n\r\n', u);
    }
  });
});

test('user rules count only with --allow-user-rules; admin settings never', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hamletd-userrules-'));
  const prefs = join(dir, 'user_prefs');
  writeFileSync(prefs, 'body BOB_NOTE /note/\nscore BOB_NOTE 7\nrequired_score 6\n');
  const load = { configPath: smallRules() };
  const msg = Buffer.from('Subject: x\r\n\r\nJust a note.\r\n');
  const off = checkMessage(msg, loadUserRules({ load, allowUserRules: false, warm: false }, prefs)).result;
  assert.deepEqual([off.tests, off.required], [[], 6]);
  const on = checkMessage(msg, loadUserRules({ load, allowUserRules: true, warm: false }, prefs)).result;
  assert.deepEqual([on.tests, on.score], [['BOB_NOTE'], 7]);
});
