import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { awlAdjust, awlDelta, awlInputScore } from '../../src/awl/awl';
import { awlActive, awlForScan, awlRuleName, withAwlHit } from '../../src/awl/scan';
import { awlSettings } from '../../src/awl/settings';
import { openAwlStore } from '../../src/awl/stores/sqlite';
import type { AddrListStore } from '../../src/awl/store';
import type { RuleSet } from '../../src/config/compile';
import { scan } from '../../src/engine/scanner';
import { parseMessage } from '../../src/message/parse';
import { AWL_RULES, mail, rulesFrom, tempDir } from './helpers';

/** Scan `raw` and apply the AWL as the wiring will: the final score is the scan's plus the AWL delta. */
async function scanAwl(store: AddrListStore, rules: RuleSet, raw: Buffer) {
  const msg = parseMessage(raw, rules.parseOptions);
  const result = scan(msg, rules.compiled);
  const awl = await awlForScan(store, msg, result, rules);
  return { result, awl, final: Math.round((result.score + (awl?.delta ?? 0)) * 1000) / 1000 };
}

// The messages of this suite, in this order, were replayed through SpamAssassin 4.0.1 with the same
// rules (AWL plugin, DB_File store): every delta, mean, count, pre-score and stored total asserted
// here is what it showed in its tags and database.
describe('AWL over real scans and an SQLite file', () => {
  const t = tempDir();
  let rules: RuleSet;
  let store: AddrListStore;
  before(() => {
    rules = rulesFrom(AWL_RULES, `auto_welcomelist_path ${join(t.dir, 'awl')}\n`);
    store = openAwlStore(awlSettings(rules.options).dbFile);
  });
  after(() => {
    store.close();
    t.done();
  });

  it('the AWL rule is found and the AWL is on', async () => {
    assert.equal(awlRuleName(rules), 'AWL');
    assert.equal(awlActive(rules), true);
  });

  it('first message: no history, no adjustment; its score is stored under address + /16', async () => {
    const r = await scanAwl(store, rules, mail('Friend@Example.COM', ['203.0.113.5'], 'h5', 'b1'));
    assert.equal(r.result.score, 6);
    assert.equal(r.awl?.delta, 0);
    assert.equal(r.awl?.mean, undefined);
    const e = await store.get({ email: 'friend@example.com', ip: '203.0' });
    assert.deepEqual([e?.count, e?.totalScore], [1, 6]);
  });

  it('a known sender from the same /16 is pulled toward its history (factor 0.5), and the pre-AWL score is stored', async () => {
    // SpamAssassin 4.0.1 on the same two messages: AWL=2.0, awlmean=6.0, awlcount=1, stored 2/8.
    const r = await scanAwl(store, rules, mail('friend@example.com', ['203.0.200.9'], 'h1', 'b1'));
    assert.equal(r.result.score, 2);
    assert.equal(r.awl?.mean, 6);
    assert.equal(r.awl?.count, 1);
    assert.equal(r.awl?.delta, 2);
    assert.equal(r.final, 4);
    const e = (await store.get({ email: 'friend@example.com', ip: '203.0' }))!;
    assert.equal(e.count, 2);
    assert.equal(e.totalScore, 8);
  });

  it('the same address from another /16 gets no help (a new entry)', async () => {
    const r = await scanAwl(store, rules, mail('friend@example.com', ['198.51.100.7'], 'h9', 'b1'));
    assert.equal(r.awl?.delta, 0);
    assert.equal(r.final, 10);
    assert.equal((await store.get({ email: 'friend@example.com', ip: '198.51' }))?.count, 1);
    assert.equal((await store.get({ email: 'friend@example.com', ip: '203.0' }))?.count, 2);
  });

  it('a good sender sending one spammy message is pulled down below the threshold', async () => {
    for (let i = 0; i < 4; i++) await scanAwl(store, rules, mail('pal@example.org', ['192.0.2.10'], 'hello'));
    const r = await scanAwl(store, rules, mail('pal@example.org', ['192.0.2.77'], 'h9'));
    assert.equal(r.result.isSpam, true);
    assert.equal(r.awl?.mean, 0);
    assert.equal(r.awl?.delta, -4.5);
    assert.ok(r.final < 5);
    const withHit = withAwlHit(r.result, r.awl);
    assert.deepEqual([withHit.score, withHit.isSpam, withHit.tests.join(','), withHit.hits.at(-1)?.score], [4.5, false, 'AWL,H9', -4.5]);
    assert.equal(withAwlHit(r.result, { delta: 0 }), r.result);
  });

  it('an IPv6 sender is keyed on its /48: same /48 helped, another /48 not', async () => {
    await scanAwl(store, rules, mail('six@example.net', ['IPv6:2001:db8:abcd:1::5'], 'hello'));
    const same = await scanAwl(store, rules, mail('six@example.net', ['IPv6:2001:db8:abcd:ffff::9'], 'h5'));
    assert.equal(same.awl?.key.ip, '2001:0DB8:ABCD::');
    assert.equal(same.awl?.delta, -2.5);
    const other = await scanAwl(store, rules, mail('six@example.net', ['IPv6:2001:db8:abce:1::5'], 'h5'));
    assert.equal(other.awl?.key.ip, '2001:0DB8:ABCE::');
    assert.equal(other.awl?.delta, 0);
  });

  it('private relays only: keyed under ip=none', async () => {
    const r = await scanAwl(store, rules, mail('local@example.net', ['192.168.1.5'], 'h1'));
    assert.equal(r.awl?.key.ip, 'none');
  });

  it('noautolearn rules are left out of the score the AWL works on and stores (observed in SpamAssassin)', async () => {
    await scanAwl(store, rules, mail('nal@example.com', ['203.0.113.5'], 'h1', 'b1'));
    const r = await scanAwl(store, rules, mail('nal@example.com', ['203.0.113.5'], 'h1 n3', 'b1'));
    assert.equal(r.result.score, 5);
    assert.equal(r.awl?.score, 2);
    assert.equal(r.awl?.preScore, 5); // SpamAssassin: awlpre=5.0, AWL=0.0
    assert.equal(r.awl?.delta, 0);
    assert.equal((await store.get({ email: 'nal@example.com', ip: '203.0' }))?.totalScore, 4);
  });

  it('userconf and learn (Bayes) rules do count', async () => {
    await scanAwl(store, rules, mail('uc@example.com', ['203.0.113.5'], 'h1', 'b1'));
    const r = await scanAwl(store, rules, mail('uc@example.com', ['203.0.113.5'], 'h1 u3 l3', 'b1'));
    assert.equal(r.awl?.score, 8);
    assert.equal(r.awl?.delta, -3);
  });

  it('rules after the AWL (priority > 1000) are not in its score', async () => {
    await scanAwl(store, rules, mail('late@example.com', ['203.0.113.5'], 'h1'));
    const r = await scanAwl(store, rules, mail('late@example.com', ['203.0.113.5'], 'h1 p3'));
    assert.equal(r.awl?.score, 1);
    assert.equal(r.awl?.preScore, 1);
    assert.equal(r.awl?.delta, 0);
  });

  it('a noawl rule turns the AWL off for the message: nothing adjusted, nothing stored', async () => {
    await scanAwl(store, rules, mail('noawl@example.com', ['203.0.113.5'], 'h1'));
    const r = await scanAwl(store, rules, mail('noawl@example.com', ['203.0.113.5'], 'h1 na3'));
    assert.equal(r.awl, undefined);
    assert.equal((await store.get({ email: 'noawl@example.com', ip: '203.0' }))?.count, 1);
  });

  it('no From address: the AWL does not apply', async () => {
    const raw = Buffer.from('Subject: h5\nTo: me@local.test\n\nhi\n');
    const msg = parseMessage(raw, rules.parseOptions);
    assert.equal(await awlForScan(store, msg, scan(msg, rules.compiled), rules), undefined);
  });
});

describe('auto_welcomelist_factor and the 3.x spellings', () => {
  const t = tempDir();
  after(() => t.done());
  const cases: [string, number][] = [
    ['auto_welcomelist_factor 0.3', 1.2],
    ['auto_whitelist_factor 0.25', 1],
    ['auto_welcomelist_factor 1', 4],
    ['auto_welcomelist_factor 0', 0],
  ];
  for (const [line, want] of cases) {
    it(`${line}: history 6, score 2 -> delta ${want}`, async () => {
      const rules = rulesFrom(AWL_RULES, `${line}\nauto_whitelist_path ${join(t.dir, line.replace(/\W/g, '_'))}\n`);
      const s = awlSettings(rules.options);
      assert.equal(s.dbFile, join(t.dir, line.replace(/\W/g, '_')) + '.sqlite');
      const store = openAwlStore(s.dbFile);
      try {
        await scanAwl(store, rules, mail('f@example.com', ['203.0.113.5'], 'h5', 'b1'));
        assert.equal((await scanAwl(store, rules, mail('f@example.com', ['203.0.113.5'], 'h1', 'b1'))).awl?.delta, want);
      } finally {
        await store.close();
      }
    });
  }
  it('use_auto_whitelist 0 (3.x) and use_auto_welcomelist 0 turn it off; no AWL rule, no AWL', async () => {
    assert.equal(awlActive(rulesFrom(AWL_RULES, 'use_auto_whitelist 0\n')), false);
    assert.equal(awlActive(rulesFrom(AWL_RULES, 'use_auto_welcomelist 0\n')), false);
    assert.equal(awlActive(rulesFrom(AWL_RULES.replace('loadplugin Mail::SpamAssassin::Plugin::AWL', ''))), false);
  });
  it('mask lengths in both spellings; out-of-range values are ignored', async () => {
    const s = awlSettings(rulesFrom(AWL_RULES, 'auto_whitelist_ipv4_mask_len 24\nauto_welcomelist_ipv6_mask_len 64\n').options);
    assert.equal(s.ipv4MaskLen, 24);
    assert.equal(s.ipv6MaskLen, 64);
    const bad = awlSettings(rulesFrom(AWL_RULES, 'auto_welcomelist_ipv4_mask_len 40\nauto_welcomelist_ipv6_mask_len -1\n').options);
    assert.equal(bad.ipv4MaskLen, 16);
    assert.equal(bad.ipv6MaskLen, 48);
  });
  it('defaults: factor 0.5, /16, /48, ~/.spamassassin/auto-welcomelist, mode 0700; no unknown-option lint for either spelling', async () => {
    const s = awlSettings({}, '/home/u');
    assert.deepEqual([s.enabled, s.factor, s.ipv4MaskLen, s.ipv6MaskLen, s.path, s.fileMode], [true, 0.5, 16, 48, '/home/u/.spamassassin/auto-welcomelist', 0o700]);
    const names = ['use_auto_whitelist 1', 'auto_whitelist_factor 0.5', 'auto_whitelist_ipv4_mask_len 16', 'auto_whitelist_ipv6_mask_len 48',
      'auto_whitelist_path /tmp/x', 'auto_whitelist_file_mode 0700', 'auto_whitelist_distinguish_signed 0', 'use_auto_welcomelist 1',
      'auto_welcomelist_factor 0.5', 'auto_welcomelist_distinguish_signed 0', 'bayes_auto_learn 1', 'bayes_auto_learn_threshold_nonspam 0.1',
      'bayes_auto_learn_threshold_spam 12', 'bayes_auto_learn_on_error 0', 'user_awl_sql_override_username x'];
    const rules = rulesFrom(AWL_RULES, names.join('\n') + '\n');
    assert.deepEqual(rules.lint.filter((l) => /unknown option/.test(l.text)), []);
  });
});

describe('awlAdjust and its pieces', () => {
  it('awlDelta is (mean - score) * factor, rounded to 3 decimals; 0 without history', async () => {
    assert.equal(awlDelta(undefined, 7, 0.5), 0);
    assert.equal(awlDelta(-47.5, 5, 0.5), -26.25);
    assert.equal(awlDelta(1, 2, 1 / 3), -0.333);
    assert.equal(Object.is(awlDelta(2, 2, 0.5), 0), true);
  });
  it('awlInputScore: noautolearn out, priority > 1000 out, noawl skips', async () => {
    const f = (s: string) => new Set(s.split(' '));
    assert.deepEqual(awlInputScore([{ score: 2 }, { score: 3, tflags: f('noautolearn') }, { score: 4, priority: 1001 }, { score: 0.5, priority: 1000 }]), { score: 2.5, preScore: 5.5, skip: false });
    assert.equal(awlInputScore([{ score: 1, tflags: f('noawl') }]).skip, true);
  });
  it('learn: false looks up without storing', async () => {
    const store = openAwlStore(':memory:');
    const conf = awlSettings({});
    await awlAdjust(store, { from: 'a@b.c', ip: '203.0.113.5' }, 4, conf);
    const r = await awlAdjust(store, { from: 'a@b.c', ip: '203.0.113.5' }, 0, conf, { learn: false });
    assert.equal(r?.delta, 2);
    assert.equal(r?.stored, false);
    assert.equal((await store.get({ email: 'a@b.c', ip: '203.0' }))?.count, 1);
    store.close();
  });
  it('auto_welcomelist_distinguish_signed keeps signed and unsigned histories apart', async () => {
    const store = openAwlStore(':memory:');
    const conf = { ...awlSettings({}), distinguishSigned: true };
    await awlAdjust(store, { from: 'a@b.c', ip: '203.0.113.5', signedBy: 'b.c' }, -5, conf);
    assert.equal((await awlAdjust(store, { from: 'a@b.c', ip: '203.0.113.5' }, 5, conf))?.mean, undefined);
    assert.equal((await awlAdjust(store, { from: 'a@b.c', ip: '203.0.113.5', signedBy: 'B.C' }, 5, conf))?.mean, -5);
    store.close();
  });
});
