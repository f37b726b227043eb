/**
 * The import-graph check `npm run lint` runs: every import in `src/` must point to the same
 * folder or to a lower layer of LAYERS (the order the README's layout section states), so no
 * folder-level cycle can form. Type-only imports count too: they are dependencies of the design
 * even when they vanish at run time.
 *
 * Usage: node dist/tools/check-layers.js [--graph]   (exit 1 on any violation)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * Lowest first. A unit is a folder of `src/`, or a file at its top (`index.ts` is the public API,
 * above everything; `regex-flags.ts` sets V8 flags before anything else loads).
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['util', 'regex-flags'],
  ['message', 'regex', 'options', 'io'],
  ['dns'],
  ['engine'],
  ['eval'],
  ['config'],
  ['report'],
  ['bayes', 'awl'],
  ['learn'],
  ['check'],
  ['spamd'],
  ['cli'],
  ['index'],
];

export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly file: string;
  readonly spec: string;
}

/** The unit a `src/`-relative path belongs to. */
export function unitOf(rel: string): string {
  const parts = rel.split(/[\\/]/);
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every import between two different units of `srcDir` (imports, re-exports, require, import()). */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(srcDir)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      if (!spec.startsWith('.')) continue;
      const target = relative(srcDir, resolve(dirname(file), spec));
      if (target.startsWith('..')) continue;
      const from = unitOf(relative(srcDir, file));
      const to = unitOf(target);
      if (from !== to) edges.push({ from, to, file: relative(srcDir, file), spec });
    }
  }
  return edges;
}

/** What is wrong with these edges: units no layer names, and imports that point up or sideways. */
export function layerViolations(edges: readonly ImportEdge[], layers: readonly (readonly string[])[] = LAYERS): string[] {
  const rank = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((u) => rank.set(u, i)));
  const problems: string[] = [];
  for (const e of edges) {
    const a = rank.get(e.from);
    const b = rank.get(e.to);
    if (a === undefined || b === undefined) {
      problems.push(`src/${e.file}: '${a === undefined ? e.from : e.to}' is in no layer (add it to LAYERS in tools/check-layers.ts and the README)`);
    } else if (b >= a) {
      problems.push(`src/${e.file}: ${e.from} (layer ${a}) imports ${e.to} (layer ${b}) via '${e.spec}': imports must point to a lower layer`);
    }
  }
  return problems;
}

function main(): void {
  const srcDir = resolve(__dirname, '..', '..', 'src');
  const edges = importEdges(srcDir);
  if (process.argv.includes('--graph')) {
    const counts = new Map<string, number>();
    for (const e of edges) counts.set(`${e.from} -> ${e.to}`, (counts.get(`${e.from} -> ${e.to}`) ?? 0) + 1);
    for (const [k, n] of [...counts].sort()) console.log(`${k} (${n})`);
  }
  const problems = layerViolations(edges);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check-layers: ${problems.length} import(s) against the layer order`);
    process.exit(1);
  }
  console.log(`check-layers: ${edges.length} cross-folder imports, all pointing down ${LAYERS.length} layers`);
}

if (require.main === module) main();
