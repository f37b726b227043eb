/**
 * The ReDoS check `npm run lint` runs: audits hamlet's own rules (`rules/`) and, where they are
 * installed, SpamAssassin's stock rules, and fails when a rule regex is left unbounded (see
 * config/redos-audit.ts). `--update` first asks recheck about every pattern V8's linear engine
 * refuses and the verdict file does not cover (with `--retry-unknown`, also those recheck could
 * not decide before; `--timeout MS` per pattern), and rewrites src/config/redos-verdicts.json.
 *
 * Usage: node dist/src/cli/redos-check.js [--update [--retry-unknown] [--timeout MS]]
 */
import '../regex-flags';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDraft, type RuleSet } from '../config/compile';
import { DEFAULT_RULES_DIR, readConfig, type LoadOptions } from '../config/load';
import { auditRuleSet, auditSummary } from '../config/redos-audit';
import { analyse, RECHECK_TIMEOUT_MS } from '../config/redos-analyse';
import { checkedInVerdicts, regexBound, verdictKey, type Verdicts } from '../config/regex-bounds';

const STOCK_RULES = '/usr/share/spamassassin';
const STOCK_SITE = '/etc/spamassassin';
/** The verdict file in the source tree (this script runs from dist/src/cli). */
const VERDICT_FILE = join(__dirname, '..', '..', '..', 'src', 'config', 'redos-verdicts.json');

interface Target {
  readonly label: string;
  readonly load: LoadOptions;
}

function targets(say: (s: string) => void): Target[] {
  const out: Target[] = [{ label: 'rules/', load: { configPath: DEFAULT_RULES_DIR } }];
  if (existsSync(STOCK_RULES)) out.push({ label: STOCK_RULES, load: { configPath: STOCK_RULES, siteConfigPath: existsSync(STOCK_SITE) ? STOCK_SITE : undefined } });
  else say(`redos: ${STOCK_RULES} is not installed: checking rules/ only`);
  return out;
}

/** Verdicts for every refused, unanalysed regex of `sets`, merged into `old` (entries no rule uses are dropped). */
interface UpdateOptions {
  readonly retryUnknown: boolean;
  readonly timeoutMs: number;
}

async function updateVerdicts(sets: readonly RuleSet[], old: Verdicts, o: UpdateOptions, say: (s: string) => void): Promise<Record<string, Verdicts[string]>> {
  const next: Record<string, Verdicts[string]> = {};
  const todo: RegExp[] = [];
  for (const rs of sets) {
    for (const r of auditRuleSet(rs, old).regexes) {
      if (r.bound === 'linear-engine') continue;
      const key = verdictKey(r.re);
      const v = old[key];
      if (v !== undefined && !(o.retryUnknown && v === 'unknown')) next[key] = v;
      else if (!todo.some((t) => verdictKey(t) === key)) todo.push(r.re);
    }
  }
  say(`redos: asking recheck about ${todo.length} pattern(s)`);
  // Two at a time: recheck's agent runs checks in parallel, and the machine has two cores.
  for (let i = 0; i < todo.length; i += 2) {
    const pair = todo.slice(i, i + 2);
    const got = await Promise.all(pair.map((re) => analyse(re, o.timeoutMs)));
    pair.forEach((re, k) => (next[verdictKey(re)] = got[k]!));
    if ((i + 2) % 50 === 0) say(`redos: ${i + 2}/${todo.length}`);
  }
  return next;
}

export async function main(argv: readonly string[]): Promise<number> {
  const say = (s: string): void => void process.stdout.write(s + '\n');
  const list = targets(say);
  const drafts = list.map((t) => readConfig(t.load));
  const sets = drafts.map((d) => compileDraft(d));
  let verdicts: Verdicts = checkedInVerdicts();
  if (argv.includes('--update')) {
    const all = existsSync(STOCK_RULES); // without the stock rules, keep their verdicts
    const t = argv.indexOf('--timeout');
    const timeoutMs = t >= 0 ? Number(argv[t + 1]) : RECHECK_TIMEOUT_MS;
    const fresh = await updateVerdicts(sets, checkedInVerdicts(), { retryUnknown: argv.includes('--retry-unknown'), timeoutMs }, say);
    const merged = all ? fresh : { ...checkedInVerdicts(), ...fresh };
    const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    writeFileSync(VERDICT_FILE, JSON.stringify({ about: 'recheck 4.5.0 verdicts on translated rule regexes V8 linear engine refuses; written by src/cli/redos-check.ts --update', verdicts: sorted }, null, 1) + '\n');
    say(`redos: wrote ${Object.keys(sorted).length} verdicts to ${VERDICT_FILE} (rebuild to use them)`);
    verdicts = sorted;
  }
  let unbounded = 0;
  for (const [i, rs] of sets.entries()) {
    // Rules compiled before --update were guarded by the old verdicts; the audit asks about both.
    const audit = auditRuleSet(rs, verdicts);
    say(`redos: ${list[i]!.label}: ${auditSummary(audit)}`);
    for (const u of audit.unbounded) {
      const at = drafts[i]!.rules.get(u.rule)?.at;
      say(`redos: error: ${at ? `${at.file}:${at.line}: ` : ''}rule ${u.rule}: /${u.re.source}/${u.re.flags} is neither linear nor guarded (${regexBound(u.re, verdicts) ?? 'not analysed'})`);
    }
    unbounded += audit.unbounded.length;
  }
  return unbounded > 0 ? 1 : 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
