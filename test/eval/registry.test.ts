import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EVAL_REGISTRY } from '../../src/eval/index';
import type { EvalDef } from '../../src/eval/registry';

// Sources decide which files exist (a stale dist/ may hold deleted ones); their builds are loaded.
const srcDir = resolve(__dirname, '..', '..', '..', 'src', 'eval');
const distDir = resolve(__dirname, '..', '..', 'src', 'eval');

test('every EvalDef array an eval file exports is in the registry (adding an eval is one file)', () => {
  let arrays = 0;
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
    const src = readFileSync(join(srcDir, file), 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(distDir, file.replace(/\.ts$/, '.js'))) as Record<string, unknown>;
    for (const [, name] of src.matchAll(/export const (\w+): readonly EvalDef\[\]/g)) {
      arrays++;
      for (const def of mod[name!] as readonly EvalDef[]) {
        assert.equal(EVAL_REGISTRY.active.get(def.name), def, `${file}: ${name} has ${def.name}, which the registry does not list (add ${name} to src/eval/index.ts)`);
      }
    }
  }
  assert.ok(arrays >= 30, `found ${arrays} EvalDef arrays`);
});
