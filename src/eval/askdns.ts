/**
 * AskDNS: an `askdns` rule compiles to a network eval under the reserved name `ASKDNS_EVAL`
 * (its arguments: the template, the record type and the filter as written), so scores, metas
 * and tflags treat it as any other rule. The start expands the template and asks each name
 * once per scan (rules with the same template and type share the lookups); the eval then
 * tests the answers with the rule's filter. A template whose tags only a network area sets
 * (`_DKIMDOMAIN_`) waits for that area: it starts its queries once mailauth is done.
 */
import type { ScanContext } from '../engine/context';
import type { EvalArg } from '../engine/types';
import type { Lookup } from '../dns/lookup-set';
import type { NetScan } from '../dns/net-scan';
import { askdnsMatches, parseAskdns, type AskdnsRule } from './askdns-rule';
import { expandTemplate, isMessageTag, tagValues } from './askdns-tags';
import { strArg, type EvalDef } from './registry';

/** The eval an `askdns` rule runs (a name no `eval:` line can reach: it has no rule areas). */
export const ASKDNS_EVAL = '__askdns';

/** The eval arguments of an askdns rule whose text after the name is `text`. */
export function askdnsArgs(text: string): string[] | { error: string } {
  const rule = parseAskdns(text);
  if ('error' in rule) return rule;
  const m = /^(\S+)(?:\s+(\S+)(?:\s+(.*))?)?$/s.exec(text.trim())!;
  return [m[1]!, m[2] ?? 'A', (m[3] ?? '').trim()];
}

const parsed = new Map<string, AskdnsRule | undefined>();

/** The rule of these arguments, parsed once per process. */
function ruleOf(args: readonly EvalArg[]): AskdnsRule | undefined {
  const text = `${strArg(args, 0) ?? ''} ${strArg(args, 1) ?? 'A'} ${strArg(args, 2) ?? ''}`;
  if (!parsed.has(text)) {
    const r = parseAskdns(text);
    parsed.set(text, 'error' in r ? undefined : r);
  }
  return parsed.get(text);
}

/** Lookups by `type template` (several rules may share them). */
type AskdnsScan = Map<string, Lookup[]>;

const STATE = 'askdns';
const keyOf = (r: AskdnsRule): string => `${r.queryType} ${r.template}`;

/** A name DNS can carry: labels of 1-63 octets, at most 253 in all. */
const validName = (n: string): boolean => n.length <= 253 && n.split('.').every((l) => l.length > 0 && l.length <= 63);

function startQueries(net: NetScan, rule: AskdnsRule, lookups: Lookup[]): Promise<unknown> {
  const names = expandTemplate(rule.template, rule.tags, (t) => tagValues(net, t));
  for (const raw of names) {
    const name = raw.replace(/\.+$/, '');
    if (!validName(name)) continue;
    const l = net.query(name, rule.queryType);
    if (l) lookups.push(l);
  }
  return Promise.all(lookups.map((l) => l.promise));
}

function checkAskdns(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const rule = ruleOf(args);
  const lookups = rule && ctx.net?.state<AskdnsScan | undefined>(STATE, () => undefined)?.get(keyOf(rule));
  if (!rule || !lookups) return false;
  return lookups.some((l) => {
    const a = l.result();
    return a !== undefined && askdnsMatches(rule, a);
  });
}

export const askdnsEvals: readonly EvalDef[] = [
  {
    name: ASKDNS_EVAL,
    areas: [],
    fn: checkAskdns,
    net: {
      start(net, args) {
        const rule = ruleOf(args);
        if (!rule) return;
        const scan = net.state<AskdnsScan>(STATE, () => new Map());
        const key = keyOf(rule);
        if (scan.has(key)) return;
        const lookups: Lookup[] = [];
        scan.set(key, lookups);
        if (rule.tags.every(isMessageTag)) {
          void startQueries(net, rule, lookups);
          return;
        }
        // The microtask lets every rule's start run first (mailauth's among them).
        net.wait(`askdns:${key}`, async () => {
          await Promise.resolve();
          await net.waitFor('mailauth')?.promise;
          await startQueries(net, rule, lookups);
        });
      },
    },
  },
];
