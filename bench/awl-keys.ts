/**
 * bench:awl-keys — which auto-welcomelist entry each corpus message lands in,
 * hamlet against real SpamAssassin 4.0.1 (its AWL plugin and DB_File store):
 * the From address as keyed and the originating network (address + masked IP,
 * or `none`). Prints the messages whose keys differ.
 *
 * Usage: npm run bench:awl-keys [-- --stride N]   (every Nth corpus message; default 1)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awlKey, awlSenderOf } from '../src/awl/awl';
import { awlSettings } from '../src/awl/settings';
import { parseMessage } from '../src/message/parse';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { haveSpamAssassin } from './lib/sa-check';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
}

/** SpamAssassin's key per file (latin1: DB_File keys are bytes, hamlet's are the same bytes as code units). */
function saKeys(files: readonly string[], dir: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const p = spawn('perl', [join(__dirname, '..', '..', 'bench', 'sa', 'awl-keys.pl'), '--dir', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => chunks.push(d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`awl-keys.pl exited with ${code}`));
      const out = new Map<string, string>();
      for (const line of Buffer.concat(chunks).toString('latin1').split('\n')) {
        const tab = line.indexOf('\t');
        if (tab > 0) out.set(line.slice(0, tab), line.slice(tab + 1));
      }
      resolve(out);
    });
    p.stdin.end(files.join('\n') + '\n');
  });
}

async function main(): Promise<void> {
  if (!(await haveSpamAssassin())) throw new Error('bench:awl-keys needs SpamAssassin 4.0.1 (apt-get install spamassassin)');
  const stride = Math.max(1, Number(arg('--stride', '1')));
  const files = CORPUS_GROUPS.flatMap((g) => corpusFiles(g)).filter((_, i) => i % stride === 0);
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-awl-keys-'));
  try {
    const t0 = performance.now();
    const sa = await saKeys(files, dir);
    const saSeconds = (performance.now() - t0) / 1000;
    const conf = awlSettings({});
    let same = 0;
    let none = 0;
    const differ: string[] = [];
    for (const f of files) {
      const k = awlKey(awlSenderOf(parseMessage(readFileSync(f))), conf);
      const mine = k ? `${k.email}|ip=${k.ip}` : '';
      if (k?.ip === 'none') none++;
      if (mine === (sa.get(f) ?? 'MISSING')) same++;
      else differ.push(`${f.split('/').slice(-2).join('/')}\n    SpamAssassin: ${sa.get(f) ?? 'MISSING'}\n    hamlet:       ${mine}`);
    }
    for (const d of differ.slice(0, 20)) console.log(d);
    console.log(`${files.length} messages (SpamAssassin ${saSeconds.toFixed(1)} s): same key ${same}, different ${differ.length}; ip=none ${none}`);
    console.log(`RESULT awl-keys messages=${files.length} same=${same} differ=${differ.length} ip_none=${none}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
