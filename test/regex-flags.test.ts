/** The V8 flags every entry point sets: a pattern the linear engine takes cannot run away. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { inRegexPhase, leaveRegexPhase, regexPhaseState } from '../src/regex-flags';

const FLAGS_MODULE = join(__dirname, '..', 'src', 'regex-flags.js');

/** Run `code` in a fresh Node after the flags module; its stdout, or null when it ran out of time. */
function run(code: string): string | null {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(FLAGS_MODULE)});${code}`], { timeout: 20_000 });
  return r.status === 0 ? r.stdout.toString().trim() : null;
}

// 2^48 backtracking steps without the fallback: the child would run out of time.
const EVIL = `console.log(new RegExp('(a+)+$').test('a'.repeat(48) + '!'), new RegExp('(a+)+$').test('aaaa'),
  /(?:^|[^\\S"])(?:<\\S+(?:!\\S+){1,}>|^\\s*$)/.test('<' + '!'.repeat(200) + '\\n'))`;

test('with the flags module, backtracking regexes V8 linear engine takes fall back to it', () => {
  assert.equal(run(EVIL), 'false true false');
});

test('switching to quick regex compilation after regexes ran keeps them working (no V8 crash), same answers', () => {
  // The bin shim sets compile-from-first-run, may then run Node's own regexes, then picks quick compilation.
  const code = `const f = require(${JSON.stringify(FLAGS_MODULE)}); f.compileRegexesFromFirstRun();
    const early = /(\\w+)@(\\w+)\\.com/; const a = early.exec('mail joe@example.com now')[2];
    f.compileLongPatternsQuickly(100);
    const late = f.compileWhenCreated(new RegExp('[Vv][Ii1][Aa@][Gg][Rr][Aa@]'.repeat(20), 'i'));
    const b = early.exec('to ann@test.com')[1];
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    console.log(a, b, late.test('viagra'.repeat(20)), late.test('viagra'), early.test('none'))`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', code], { timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr.toString());
  assert.equal(r.stdout.toString().trim(), 'example ann true false false');
});

test('quick compilation keeps code regexes optimised: a class search over a 10 MB line does not fall back to the linear engine', () => {
  // Compiled plain, every failed start position counts as a backtrack: past the fallback's
  // threshold V8 re-runs the search on its linear engine, ~25 s for this line (the child's
  // 20 s limit fails the test); optimised, a quick scan finds no candidate in ~30 ms.
  const code = `const f = require(${JSON.stringify(FLAGS_MODULE)}); f.compileRegexesFromFirstRun(); f.compileLongPatternsQuickly(50);
    const line = 'word '.repeat(2 << 20) + '\\n';
    const long = f.compileWhenCreated(new RegExp('(?:' + 'ab|'.repeat(30) + 'zq)[0-9]', 'g'));
    console.log(/[\\x00\\x0d\\x80-\\xff]/.test(line), /&#x[0-9A-F]{4};/.test(line), long.test('xxabz1 ' + 'zq7'), long.lastIndex > 0)`;
  const r = spawnSync(process.execPath, ['-e', code], { timeout: 20_000 });
  assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''} ${r.stderr.toString()}`);
  assert.equal(r.stdout.toString().trim(), 'false false true true');
});

/**
 * A thread that runs the given phases in order; inside each it counts itself in `active`
 * ([0]: plain, [1]: optimised), notes in `clash` seeing the other kind, and stays 30 ms.
 */
const PHASER = `const { workerData: d, parentPort } = require('node:worker_threads');
  const f = require(d.module);
  for (const plain of d.phases) f.inRegexPhase(d.state, plain, () => {
    const mine = plain ? 0 : 1;
    Atomics.add(d.active, mine, 1);
    if (Atomics.load(d.active, 1 - mine) !== 0) Atomics.add(d.clash, 0, 1);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
    if (Atomics.load(d.active, 1 - mine) !== 0) Atomics.add(d.clash, 0, 1);
    Atomics.sub(d.active, mine, 1);
  }, { slot: d.slot });
  parentPort.postMessage('done');`;

test('regex phases: threads compiling plain and optimised never overlap, and phases of one kind run together', async () => {
  const state = regexPhaseState();
  const active = new Int32Array(new SharedArrayBuffer(8));
  const clash = new Int32Array(new SharedArrayBuffer(4));
  const t0 = performance.now();
  // Opposite orders, so each thread's next phase meets the other's current one.
  const orders = [[true, false, true, false], [false, true, false, true], [true, true, false, false]];
  await Promise.all(
    orders.map(
      (phases, i) =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(PHASER, { eval: true, workerData: { module: FLAGS_MODULE, phases, state, active, clash, slot: i + 1 } });
          w.once('message', () => void w.terminate().then(() => resolve()));
          w.once('error', reject);
        }),
    ),
  );
  assert.equal(clash[0], 0, 'a plain and an optimised phase ran at the same time');
  assert.ok(state.every((x) => x === 0), 'every phase left, the lock free');
  // 12 phases of 30 ms; run one at a time they would take 360 ms at least.
  assert.ok(performance.now() - t0 < 5000);
});

test('regex phases: a phase held by a thread that never left is waited for at most maxWaitMs, and its slot can be freed', () => {
  const state = regexPhaseState();
  state[5] = 1; // a plain phase of a thread that died inside it
  const t0 = performance.now();
  assert.equal(inRegexPhase(state, false, () => 'ran', { slot: 1, maxWaitMs: 80 }), 'ran');
  assert.ok(performance.now() - t0 >= 75, 'it waited first');
  assert.deepEqual([state[1], state[5]], [0, 1]);
  leaveRegexPhase(state, 5);
  const t1 = performance.now();
  assert.equal(inRegexPhase(state, false, () => 'at once', { slot: 1, maxWaitMs: 5000 }), 'at once');
  assert.ok(performance.now() - t1 < 1000);
  assert.ok(state.every((x) => x === 0));
});
