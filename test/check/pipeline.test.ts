/**
 * The check pipeline with a network eval of the test's own (registered for these tests only)
 * against a real test DNS server: lookups start before the local rules and are harvested after
 * them, network rules and the metas over them hit, score set 1 applies, `-L` and
 * `dns_available no` turn it all off, a zone that never answers ends the check at rbl_timeout
 * with the local rules' results intact, `dns_block_rule` blocks a zone, and the tags the
 * network areas fill reach the templates.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, CHECK_STEPS, checkWithFeedback, netRuntimeFor } from '../../src/check/index';
import type { NetScan } from '../../src/dns/net-scan';
import { EVAL_REGISTRY } from '../../src/eval/index';
import type { EvalDef } from '../../src/eval/registry';
import { strArg } from '../../src/eval/registry';
import { TestDnsServer } from '../helpers/dns-server';
import { rulesFrom } from '../helpers/net-check';

let server: TestDnsServer;
/** What the test eval's start saw: the local rules had not run yet when it was called. */
const startedBeforeLocal: boolean[] = [];
let localRan = false;

const TEST_EVALS: EvalDef[] = [
  {
    // header T eval:check_test_listed('name.zone') — hits when the name has an A record.
    name: 'check_test_listed',
    areas: ['header'],
    net: {
      start(net: NetScan, args) {
        startedBeforeLocal.push(!localRan);
        net.query(strArg(args, 0)!, 'A');
      },
    },
    fn: (ctx, args) => {
      const a = ctx.net?.lookup(strArg(args, 0)!, 'A')?.result();
      if (a?.status === 'NOERROR' && a.records.length > 0) {
        ctx.net!.tags.set('TESTLISTED', a.records.map((r) => (r.type === 'A' ? r.address : '')).join(' '));
        return true;
      }
      return false;
    },
  },
  {
    // A local eval that notes it ran (to order it against the network starts).
    name: 'check_test_local_ran',
    areas: ['header'],
    fn: () => {
      localRan = true;
      return true;
    },
  },
];

before(async () => {
  server = await TestDnsServer.start();
  server.add('listed.test', 'A', '127.0.0.2');
  server.behave('slow.test', { delayMs: 60_000 });
  const active = EVAL_REGISTRY.active as Map<string, EvalDef>;
  for (const d of TEST_EVALS) active.set(d.name, d);
});

after(async () => {
  const active = EVAL_REGISTRY.active as Map<string, EvalDef>;
  for (const d of TEST_EVALS) active.delete(d.name);
  await server.stop();
});

const MSG = 'From: a@example.com\nTo: b@example.org\nSubject: hello\n\nbody\n';

function rules(extra = ''): ReturnType<typeof rulesFrom> {
  return rulesFrom(
    [
      'clear_dns_servers', `dns_server ${server.spec}`, 'rbl_timeout 2 1',
      'header NET_LISTED eval:check_test_listed("listed.test")',
      'score NET_LISTED 0 1.5 0 1.5',
      'header NET_SLOW eval:check_test_listed("x.slow.test")',
      'header LOCAL_RAN eval:check_test_local_ran()',
      'score LOCAL_RAN 0.5 0.25 0.5 0.25',
      'meta META_NET NET_LISTED && LOCAL_RAN',
      'score META_NET 1',
      'clear_headers', 'add_header all Listed _TESTLISTED_',
      extra,
    ].join('\n'),
  );
}

test('the steps are named, in the order of the data flow', async () => {
  assert.deepEqual(CHECK_STEPS.map((s) => s.name), ['parse', 'bayes', 'start-lookups',
    'bayes-harvest', 'local-rules', 'harvest', 'network-rules', 'metas-and-score', 'awl', 'auto-learn', 'markup']);
});

test('network on: lookups start before the local rules; network rules, metas over them and score set 1 apply', async () => {
  const rs = rules('rbl_timeout 1 1');
  const net = netRuntimeFor(rs, { localOnly: false, resolver: { tryTimeoutMs: 500, attempts: 1 } })!;
  try {
    startedBeforeLocal.length = 0;
    localRan = false;
    const c = await check(Buffer.from(MSG), rs, { net });
    assert.ok(startedBeforeLocal.length >= 2 && startedBeforeLocal.every((b) => b), 'every start ran before the first local rule');
    assert.deepEqual(c.result.tests, ['LOCAL_RAN', 'META_NET', 'NET_LISTED']);
    assert.equal(c.result.scoreSet, 1);
    assert.equal(c.result.score, 1.5 + 0.25 + 1);
    assert.match(c.marked.toString('latin1'), /^X-Spam-Listed: 127\.0\.0\.2$/m);
    assert.equal(c.net?.queryCount, 2);
  } finally {
    net.close();
  }
});

test('-L and dns_available no: no runtime, no queries, network rules do not hit, score set 0', async () => {
  assert.equal(netRuntimeFor(rules(), { localOnly: true }), undefined);
  assert.equal(netRuntimeFor(rules('dns_available no'), { localOnly: false }), undefined);
  const before = server.received.length;
  const c = await check(Buffer.from(MSG), rules(), {});
  assert.deepEqual(c.result.tests, ['LOCAL_RAN']);
  assert.equal(c.result.scoreSet, 0);
  assert.equal(server.received.length, before);
  // The synchronous path is the same without a network runtime.
  assert.deepEqual((await checkWithFeedback(Buffer.from(MSG), rules(), undefined)).result.tests, ['LOCAL_RAN']);
});

test('a zone that never answers ends the check at rbl_timeout; the other rules keep their results', async () => {
  const rs = rules('rbl_timeout 1 1');
  const net = netRuntimeFor(rs, { localOnly: false, resolver: { tryTimeoutMs: 30_000, attempts: 1 } })!;
  try {
    const t0 = performance.now();
    const c = await check(Buffer.from(MSG), rs, { net });
    const ms = performance.now() - t0;
    assert.ok(ms >= 900 && ms < 5000, `ended after ${ms.toFixed(0)} ms, near the 1 s rbl_timeout`);
    assert.deepEqual(c.result.tests, ['LOCAL_RAN', 'META_NET', 'NET_LISTED']);
    assert.equal(c.net?.lookup('x.slow.test', 'A')?.result()?.status, 'TIMEOUT');
  } finally {
    net.close();
  }
});

test('dns_block_rule: a hit blocks the zone for the next checks', async () => {
  const rs = rules('rbl_timeout 1 1\ndns_block_rule NET_LISTED listed.test\ndns_block_time 300');
  const net = netRuntimeFor(rs, { localOnly: false, resolver: { tryTimeoutMs: 500, attempts: 1, cacheSize: 0 } })!;
  try {
    const first = await check(Buffer.from(MSG), rs, { net });
    assert.ok(first.result.tests.includes('NET_LISTED'));
    const n = server.count('listed.test', 'A');
    const second = await check(Buffer.from(MSG), rs, { net });
    assert.ok(!second.result.tests.includes('NET_LISTED'), 'blocked: not asked, not hit');
    assert.equal(server.count('listed.test', 'A'), n);
    assert.deepEqual(second.net?.refused, ['A listed.test']);
  } finally {
    net.close();
  }
});

test('onStep reports every step once, in order', async () => {
  const names: string[] = [];
  await check(Buffer.from(MSG), rules(), { onStep: (name) => names.push(name) });
  assert.deepEqual(names, CHECK_STEPS.map((s) => s.name));
});

test('a network sub-rule no scored rule reads still starts its lookups (it defines what check_rbl_sub-style rules read)', async () => {
  const rs = rules('header __NET_SUB eval:check_test_listed("sub.listed.test")\nrbl_timeout 1 1');
  const net = netRuntimeFor(rs, { localOnly: false, resolver: { tryTimeoutMs: 500, attempts: 1 } })!;
  try {
    const c = await check(Buffer.from(MSG), rs, { net });
    assert.ok(c.net?.lookup('sub.listed.test', 'A'), 'the sub-rule started its lookup');
  } finally {
    net.close();
  }
});

test('dns_available test: DNS counts as working when a test domain has NS records; else network tests are off for the check', async () => {
  server.add('up.test', 'NS', 'ns1.up.test');
  const up = rules('dns_available test: up.test\nrbl_timeout 1 1');
  const netUp = netRuntimeFor(up, { localOnly: false, resolver: { tryTimeoutMs: 500, attempts: 1 } })!;
  const down = rules('dns_available test: nothing-here.test\nrbl_timeout 1 1');
  const netDown = netRuntimeFor(down, { localOnly: false, resolver: { tryTimeoutMs: 500, attempts: 1 } })!;
  try {
    const a = await check(Buffer.from(MSG), up, { net: netUp });
    assert.ok(a.result.tests.includes('NET_LISTED'));
    assert.equal(a.result.scoreSet, 1);
    const before = server.count('listed.test', 'A');
    const b = await check(Buffer.from(MSG), down, { net: netDown });
    assert.deepEqual(b.result.tests, ['LOCAL_RAN']);
    assert.equal(b.result.scoreSet, 0);
    assert.equal(server.count('listed.test', 'A'), before, 'nothing asked once DNS was found down');
    assert.equal(server.count('nothing-here.test', 'NS'), 1);
  } finally {
    netUp.close();
    netDown.close();
  }
});
