import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importEdges, layerViolations, unitOf } from '../../tools/check-layers';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-layers-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const LAYERS = [['util'], ['engine'], ['config'], ['index']];

test('units are top folders, or top-level files without .ts', () => {
  assert.equal(unitOf('engine/scanner.ts'), 'engine');
  assert.equal(unitOf('index.ts'), 'index');
});

test('an import down the layers passes; up, sideways into a cycle, or to an unknown unit fails', () => {
  const ok = tree({ 'config/a.ts': "import { x } from '../engine/b';\nexport const y = x;", 'engine/b.ts': "export { z as x } from '../util/c';", 'util/c.ts': 'export const z = 1;' });
  assert.deepEqual(layerViolations(importEdges(ok), LAYERS), []);

  const up = tree({ 'engine/b.ts': "import type { T } from '../config/a';\nexport type U = T;", 'config/a.ts': 'export type T = number;' });
  const problems = layerViolations(importEdges(up), LAYERS);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /engine \(layer 1\) imports config \(layer 2\)/);

  const dynamic = tree({ 'util/c.ts': "export const load = () => require('../engine/b');", 'engine/b.ts': 'export const b = 1;' });
  assert.equal(layerViolations(importEdges(dynamic), LAYERS).length, 1, 'require() counts');

  const stray = tree({ 'newthing/a.ts': "import '../util/c';", 'util/c.ts': '' });
  assert.match(layerViolations(importEdges(stray), LAYERS)[0]!, /'newthing' is in no layer/);
});

test("hamlet's own src/ follows the layer order", () => {
  const src = resolve(__dirname, '..', '..', '..', 'src');
  const edges = importEdges(src);
  assert.ok(edges.length > 100, `found ${edges.length} cross-folder imports`);
  assert.deepEqual(layerViolations(edges), []);
});
