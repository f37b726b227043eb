/**
 * Long patterns compiled plain at a server's warm-up get an optimised twin once they are busy
 * (regex-tier-up.ts). The twin must match what the plain regex matches (same captures, counting
 * rules too), and must not be compiled while another thread is in a plain compile phase. Scans
 * through such twins: warm-up.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chargePlain, chargeScan, plainTally, TIER_UP_WINDOW, tierUpBetweenScans, watchPlain } from '../../src/engine/regex-tier-up';
import { globalOf } from '../../src/engine/run-rule';
import { regexPhaseState } from '../../src/regex-flags';

/** Run `n` windows of made-up scans of 1 ms each, `re` taking `ms` of each. */
function busyWindows(re: RegExp, ms: number, n = 1): void {
  const tally = plainTally(re)!;
  for (let i = 0; i < n * TIER_UP_WINDOW; i++) {
    tierUpBetweenScans(globalOf);
    chargePlain(tally, ms, false);
    chargeScan(1);
  }
}

test('a busy plain regex gets a twin with the same flags that matches the same strings and captures', () => {
  const re = /(?:\b(pay)\s?me|sen[dt] (\d+)\s?(?:usd|eur)|^\s*(total):)/im;
  watchPlain(re, { state: regexPhaseState(), slot: 1 });
  busyWindows(re, 0.001); // 0.1% of the scans' time: not busy enough
  assert.equal(plainTally(re)!.fast, undefined);
  busyWindows(re, 0.5);
  const fast = plainTally(re)!.fast;
  assert.ok(fast);
  assert.notEqual(fast, re);
  assert.equal(fast.flags, re.flags);
  for (const s of ['please pay me now', 'send 100 usd', 'x\n  TOTAL: 5', 'nothing here', 'sent 7eur \u2019', 'payme']) {
    assert.deepEqual(fast.exec(s)?.slice(), re.exec(s)?.slice(), s);
  }
});

test('no twin is compiled while another thread compiles plain; it comes at a later window', () => {
  const state = regexPhaseState();
  const re = /(?:alpha|beta|gamma)+\d{2,}/;
  watchPlain(re, { state, slot: 1 });
  Atomics.store(state, 2, 1); // slot 2: another thread in a plain phase
  busyWindows(re, 0.5);
  assert.equal(plainTally(re)!.fast, undefined);
  Atomics.store(state, 2, 0);
  busyWindows(re, 0.5);
  assert.ok(plainTally(re)!.fast);
});
