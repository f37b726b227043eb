/**
 * Messages aimed at the stock rules' own regexes: recheck (a ReDoS checker)
 * analyses each header/body/rawbody/full/uri pattern as hamlet runs it (the
 * translated JS regex), and for those it reports vulnerable its attack string
 * is put where the rule reads: `header R From =~ /.../` gets a From: value,
 * `body`/`rawbody`/`full` a body line, `uri` a link.
 *
 * Bounded: each analysis has a time cap (HOSTILE_RECHECK_MS), all of them a
 * budget (HOSTILE_RECHECK_BUDGET_S, the rest skipped and counted), and results
 * are cached by pattern under .bench-tmp/hostile (recheck is seeded, so a
 * cached answer is the answer). The N worst (exponential first, then by
 * polynomial degree, one per rule target before a second) become inputs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';
import { loadConfig } from '../../src/index';
import { ROOT } from './bayes-train';
import { buildMessage, type HostileInput } from './hostile-inputs';

interface Finding {
  readonly status: 'safe' | 'vulnerable' | 'unknown';
  readonly exponential?: boolean;
  readonly degree?: number;
  readonly attack?: string;
}

interface Target {
  readonly rule: string;
  readonly area: string;
  /** The header spec of a header rule ('' for the others). */
  readonly spec: string;
  readonly finding: Finding;
}

export interface RedosSelection {
  readonly inputs: HostileInput[];
  /** Patterns analysed, found vulnerable, left unknown (timeout/unsupported), skipped by the budget. */
  readonly analysed: number;
  readonly vulnerable: number;
  readonly unknown: number;
  readonly skipped: number;
  readonly seconds: number;
}

const CACHE_DIR = join(ROOT, '.bench-tmp', 'hostile');

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Latin-1 when every code unit fits (rules match bytes as Latin-1), else UTF-8. */
const bytesOf = (s: string): Buffer => Buffer.from(s, /[^\x00-\xff]/.test(s) ? 'utf8' : 'latin1');

/** The header a spec reads, as a field name to write (undefined: no header carries it). */
function fieldFor(spec: string): string | undefined {
  const name = spec.split(':')[0]!;
  if (/^(?:X-Spam-Relays-|ALL-)/i.test(name)) return undefined;
  if (name === 'ToCc') return 'To';
  if (name === 'MESSAGEID') return 'Message-ID';
  if (name === 'EnvelopeFrom') return 'Return-Path';
  if (name === 'ALL') return '';
  return name;
}

/** The message that carries `attack` where the rule reads. */
function messageFor(t: Target, attack: string): Buffer | undefined {
  if (t.area === 'header') {
    const field = fieldFor(t.spec);
    if (field === undefined) return undefined;
    const value = attack.replace(/\r?\n/g, '\n '); // a newline in a value must fold
    if (field === '') return buildMessage({ extra: [bytesOf(/^[\x21-\x39\x3b-\x7e]+:/.test(value) ? `${value}\n` : `X-Hostile: ${value}\n`)], body: 'ALL headers.\n' });
    const base = ['From', 'To', 'Subject', 'Date', 'Message-ID'].find((h) => h.toLowerCase() === field.toLowerCase());
    if (base) return buildMessage({ replace: { [base]: null }, extra: [bytesOf(`${base}: ${value}\n`)], body: 'Header attack.\n' });
    return buildMessage({ extra: [bytesOf(`${field}: ${value}\n`)], body: 'Header attack.\n' });
  }
  if (t.area === 'uri') {
    return buildMessage({ extra: ['MIME-Version: 1.0', 'Content-Type: text/html'], body: bytesOf(`<html><body><a href="${escapeHtml(attack)}">link</a>\n<p>${escapeHtml(attack)}</p></body></html>\n`) });
  }
  return buildMessage({ body: bytesOf(`${attack}\n`) });
}

function loadCache(path: string): Record<string, Finding> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, Finding>;
  } catch {
    return {};
  }
}

/** Analyse the stock patterns and build up to `n` inputs from the worst. */
export async function redosInputs(opts: { rules: string; site: string; n: number; capMs: number; budgetS: number }): Promise<RedosSelection> {
  const t0 = performance.now();
  const rs = loadConfig({ configPath: opts.rules, siteConfigPath: opts.site });
  const cachePath = join(CACHE_DIR, `recheck-${opts.capMs}ms.json`);
  const cache = loadCache(cachePath);
  const targets: Target[] = [];
  let analysed = 0;
  let skipped = 0;
  const seen = new Set<string>();
  for (const r of rs.compiled.rules) {
    if (!['header', 'body', 'rawbody', 'full', 'uri'].includes(r.area)) continue;
    const test = r.test;
    if (test.type !== 'header' && test.type !== 'regex') continue;
    if (test.type === 'header' && (test.negate || fieldFor(test.spec) === undefined)) continue;
    const flags = test.re.flags.replace(/[dgy]/g, '');
    const key = `${flags}/${test.re.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let finding = cache[key];
    if (!finding) {
      if ((performance.now() - t0) / 1000 > opts.budgetS) {
        skipped++;
        continue;
      }
      const d = await check(test.re.source, flags, { timeout: opts.capMs, randomSeed: 0 });
      finding =
        d.status === 'vulnerable'
          ? { status: 'vulnerable', exponential: d.complexity.type === 'exponential', degree: d.complexity.type === 'polynomial' ? d.complexity.degree : undefined, attack: d.attack.string }
          : { status: d.status };
      cache[key] = finding;
    }
    analysed++;
    targets.push({ rule: r.name, area: r.area, spec: test.type === 'header' ? test.spec : '', finding });
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cachePath, JSON.stringify(cache));
  const vulnerable = targets.filter((t) => t.finding.status === 'vulnerable');
  const rank = (t: Target): number => (t.finding.exponential ? 1000 : (t.finding.degree ?? 0));
  const sorted = vulnerable.map((t, i) => ({ t, i })).sort((a, b) => rank(b.t) - rank(a.t) || a.i - b.i).map((x) => x.t);
  // One per rule target (area + header) first, so the inputs are not all From: variants.
  const where = (t: Target): string => `${t.area} ${t.spec.split(':')[0]}`;
  const picked: Target[] = [];
  const used = new Set<string>();
  for (const t of sorted) {
    if (picked.length < opts.n && !used.has(where(t))) {
      picked.push(t);
      used.add(where(t));
    }
  }
  for (const t of sorted) if (picked.length < opts.n && !picked.includes(t)) picked.push(t);
  const inputs: HostileInput[] = [];
  for (const t of picked) {
    const bytes = messageFor(t, t.finding.attack!);
    if (!bytes) continue;
    const kind = t.finding.exponential ? 'exponential' : `degree ${t.finding.degree}`;
    inputs.push({ name: `redos-${t.rule}`, what: `recheck ${kind} attack (${t.finding.attack!.length} chars) on ${t.area}${t.spec ? ` ${t.spec}` : ''} rule ${t.rule}`, bytes });
  }
  return {
    inputs,
    analysed,
    vulnerable: vulnerable.length,
    unknown: targets.filter((t) => t.finding.status === 'unknown').length,
    skipped,
    seconds: (performance.now() - t0) / 1000,
  };
}
