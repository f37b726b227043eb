import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGuardedRules } from '../../src/engine/guarded-rules';
import { Gates } from '../../src/engine/gates';
import type { RuleList, ScanPlan } from '../../src/engine/scan-plan';
import type { ScanContext } from '../../src/engine/context';
import type { CompiledRule } from '../../src/engine/types';

/** Three guarded rules and one plain one, none with a prefilter need (every gate is open). */
function list(): RuleList {
  const rules = ['A', 'B', 'PLAIN', 'C'].map((name) => ({ name }) as unknown as CompiledRule);
  return {
    rules,
    needs: rules.map(() => undefined),
    slots: Int32Array.from(rules, (_r, i) => i),
    headerGroups: Int32Array.from(rules, () => -1),
    guarded: Uint8Array.from([1, 1, 0, 1]),
    anyGuarded: true,
    onDemand: new Uint8Array(rules.length),
    onDemandAt: new Map(),
  };
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test('runGuardedRules prepares each guarded rule unwatched before any of them runs', () => {
  const l = list();
  const events: string[] = [];
  const gates = new Gates({ headerGroupCount: 0 } as unknown as ScanPlan, l, {} as ScanContext);
  const out = runGuardedRules(
    l,
    0,
    gates,
    0,
    (i) => (events.push(`run ${i}`), 1),
    (i) => {
      events.push(`prepare ${i}`);
      busy(120); // a slow first compile: more than a rule's whole budget (50 ms)
    },
  );
  assert.deepEqual(events, ['prepare 0', 'prepare 1', 'prepare 3', 'run 0', 'run 1', 'run 3']);
  assert.deepEqual([...out.counts.entries()], [[0, 1], [1, 1], [3, 1]], 'nothing cut: the preparation did not count against the budgets');
  assert.equal(out.deadlineHit, false);
});

test('runGuardedRules still cuts a rule whose run itself exceeds its budget', () => {
  const l = list();
  const gates = new Gates({ headerGroupCount: 0 } as unknown as ScanPlan, l, {} as ScanContext);
  const out = runGuardedRules(l, 0, gates, 0, (i) => (i === 1 ? (busy(5_000), 1) : 1), () => {});
  assert.ok(Number.isNaN(out.counts.get(1)!), 'B is cut');
  assert.equal(out.counts.get(0), 1);
  assert.equal(out.counts.get(3), 1);
});
