/**
 * A V8 CPU profile (the inspector's `Profiler.stop` result, or a `--cpu-prof` file) summed by
 * self time: per source area (a directory under src/, node_modules package, V8's own entries
 * such as the garbage collector) and per function. V8 books the time a regex runs, and the
 * builtins a function calls, to that function's self time, so a rule area's figure holds its
 * regexes.
 */
export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Where a frame's code lives: `src/engine/run-rule.ts`-style paths shortened to their area. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  const src = /\/dist\/(src|bench|test)\/(?:([^/]+)\/)?([^/]+)\.js$/.exec(url);
  if (src) return src[2] ? `${src[1]}/${src[2]}` : `${src[1]}/${src[3]}`;
  if (url.startsWith('node:')) return 'node-internal';
  return url;
}

/** The self time (ms) of every node, from the samples and their time deltas. */
function selfMs(p: CpuProfile): Map<number, number> {
  const out = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's delta is the time since the previous sample: book it to the sample after it.
    const d = (deltas[i + 1] ?? 0) / 1000;
    out.set(samples[i]!, (out.get(samples[i]!) ?? 0) + d);
  }
  return out;
}

/** The profile's self time per area and its heaviest functions, per scan (`per` scans). */
export function profileSummary(p: CpuProfile, per: number, top = 40): string {
  const self = selfMs(p);
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const ms = self.get(n.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const key = `${functionName || '(anonymous)'} ${area}${url ? `:${lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
  }
  const rows = (m: Map<string, number>, n: number): string =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `    ${(v / per).toFixed(3).padStart(7)} ms  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return [`  profile: ${(total / per).toFixed(2)} ms sampled per scan; self time by area:`, rows(byArea, 30), '  heaviest functions (self):', rows(byFn, top)].join('\n');
}
