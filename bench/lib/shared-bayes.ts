/**
 * One trained Bayes database for both servers of bench:spamd: real sa-learn
 * trains SpamAssassin's on TRAIN (easy-ham-1 + spam-1; cached by bayes-train.ts),
 * `sa-learn --backup` dumps it and `hamlet-learn --restore` loads the same
 * tokens, counts and seen-ids into hamlet's SQLite file. Each run scans private
 * copies (scanning touches token atimes), in a directory spamd's `nobody` can write.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SA_DIR, WORK, parseMagic, trainSa } from './bayes-train';

export interface SharedBayes {
  /** bayes_path for spamd and for hamletd (hamlet's file is `<path>.sqlite`). */
  readonly saPath: string;
  readonly hamletPath: string;
  /** nspam / nham of the database. */
  readonly nspam: number;
  readonly nham: number;
  /** How it was made, for the bench's header line. */
  readonly how: string;
}

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** Train (or reuse) SpamAssassin's database, restore it into hamlet's, and copy both for one run. */
export function sharedBayes(): SharedBayes {
  let how = 'sa-learn database from the cache';
  if (!existsSync(join(SA_DIR, 'bayes_toks'))) {
    const t = trainSa();
    how = `sa-learn trained on TRAIN in ${t.seconds.toFixed(0)} s`;
  }
  const backup = join(WORK, 'sa-backup.txt');
  const hamletDir = join(WORK, 'spamd-hamlet');
  const hamletDb = join(hamletDir, 'bayes.sqlite');
  if (!existsSync(backup) || statSync(backup).mtimeMs < statSync(join(SA_DIR, 'bayes_toks')).mtimeMs) {
    writeFileSync(backup, run('sa-learn', ['--dbpath', join(SA_DIR, 'bayes'), '--backup']), 'latin1');
  }
  if (!existsSync(hamletDb) || statSync(hamletDb).mtimeMs < statSync(backup).mtimeMs) {
    mkdirSync(hamletDir, { recursive: true });
    for (const f of readdirSync(hamletDir)) if (f.startsWith('bayes.sqlite')) spawnSync('rm', ['-f', join(hamletDir, f)]);
    run(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), '--dbpath', join(hamletDir, 'bayes'), '--restore', backup]);
  }
  const magic = parseMagic(run(process.execPath, [join(ROOT, 'bin', 'hamlet-learn.js'), '--dbpath', join(hamletDir, 'bayes'), '--dump', 'magic']));
  const dir = mkdtempSync(join(tmpdir(), 'bench-spamd-bayes-'));
  chmodSync(dir, 0o777);
  for (const f of readdirSync(SA_DIR).filter((x) => x.startsWith('bayes_'))) {
    copyFileSync(join(SA_DIR, f), join(dir, f));
    chmodSync(join(dir, f), 0o666);
  }
  copyFileSync(hamletDb, join(dir, 'hamlet.sqlite'));
  return {
    saPath: join(dir, 'bayes'),
    hamletPath: join(dir, 'hamlet'),
    nspam: magic.get('nspam') ?? NaN,
    nham: magic.get('nham') ?? NaN,
    how: `${how}, restored into hamlet with sa-learn --backup | hamlet-learn --restore`,
  };
}
