/**
 * HashBL: values found in the message asked of a list, hashed or as they are:
 * - `check_hashbl_bodyre(list, opts, regex[, sub])` (body, rawbody): what the regex's first
 *   group captures in each body line (`num` keeps only digits; default opts sha1/max=10/shuffle);
 * - `check_hashbl_emails(list[, opts[, headers[, sub]]])` (header): addresses from the headers
 *   named (`ALLFROM`, `EnvelopeFrom`, `ALL`, a header name, `body`; default ALLFROM/Reply-To/body),
 *   optionally without user dots (`nodot`) or `+tag` (`notag`), or only their `user`, `host`
 *   or `domain` (default opts sha1/notag/noquote/max=10/shuffle);
 * - `check_hashbl_uris(list[, opts[, sub]])` (header): the message's http(s) URIs, lower-cased
 *   (default opts sha1/max=10/shuffle).
 * Observed from SpamAssassin 4.0.1: `skip_rbl_checks` does not turn these off. Values (or their
 * hashes) on `hashbl_ignore`, and hosts under `uridnsbl_skip_domains`, are not asked.
 */
import { optList } from '../options/option-values';
import { translatePerlRegex } from '../regex/perl-regex';
import { hashblLabel, parseHashblList, parseHashblOpts, parseHashblSubtest, pickValues, type HashblList, type HashblOpts } from '../dns/hashbl-query';
import type { NetScan } from '../dns/net-scan';
import { rblAnswerValues } from '../dns/rbl-subtest';
import type { EvalArg } from '../engine/types';
import { hasValidTld, registrableDomain } from '../message/domain';
import { headerValues } from '../message/header-access';
import { request } from './header-get';
import { fromAddrsOf } from '../message/list-addresses';
import { strArg, type EvalDef } from './registry';
import type { RblQuery } from './dns-rbl-book';

/** A rule's arguments, parsed once per compiled rule. */
interface HashblRule {
  readonly list: HashblList;
  readonly opts: HashblOpts;
  readonly sub: RegExp;
  /** check_hashbl_bodyre's regex (global). */
  readonly re?: RegExp;
  /** check_hashbl_emails's sources. */
  readonly sources?: readonly string[];
}

/** Where each eval keeps its optional arguments. */
interface Shape {
  readonly dfltOpts: string;
  readonly subIndex: number;
  readonly reIndex?: number;
  readonly sourcesIndex?: number;
}

const parsedRules = new WeakMap<readonly EvalArg[], HashblRule | { error: string }>();

function parseRule(args: readonly EvalArg[], shape: Shape): HashblRule | { error: string } {
  let p = parsedRules.get(args);
  if (p) return p;
  p = ((): HashblRule | { error: string } => {
    const list = parseHashblList(strArg(args, 0) ?? '');
    if ('error' in list) return list;
    const opts = parseHashblOpts(strArg(args, 1), shape.dfltOpts);
    if ('error' in opts) return opts;
    const sub = parseHashblSubtest(strArg(args, shape.subIndex));
    if ('error' in sub) return sub;
    let re: RegExp | undefined;
    if (shape.reIndex !== undefined) {
      const t = translatePerlRegex(strArg(args, shape.reIndex) ?? '', '');
      if ('error' in t) return { error: `regex: ${t.error}` };
      re = new RegExp(t.re.source, t.re.flags.replace('g', '') + 'g');
    }
    const src = shape.sourcesIndex === undefined ? undefined : strArg(args, shape.sourcesIndex);
    const sources = src === undefined || src.trim() === '' ? ['ALLFROM', 'Reply-To', 'body'] : src.split('/').map((s) => s.trim()).filter((s) => s !== '');
    return { list, opts, sub, ...(re && { re }), sources };
  })();
  parsedRules.set(args, p);
  return p;
}

/** Values from body lines: the regex's first group (or whole match) per match. */
function bodyValues(lines: readonly string[], rule: HashblRule): string[] {
  const out: string[] = [];
  const re = rule.re!;
  for (const line of lines) {
    re.lastIndex = 0;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      if (m[0] === '') re.lastIndex++;
      let v = m[1] ?? m[0];
      if (rule.opts.flags.has('num')) v = v.replace(/\D/g, '');
      if (v !== '') out.push(v);
    }
  }
  return out;
}

const EMAIL = /[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;

function emailsIn(text: string): string[] {
  return text.match(EMAIL) ?? [];
}

/** Addresses from one source of check_hashbl_emails. */
function emailsFrom(net: NetScan, source: string): string[] {
  const msg = net.msg;
  switch (source.toLowerCase()) {
    case 'allfrom':
      return fromAddrsOf(msg);
    case 'envelopefrom':
      return headerValues(msg, request('EnvelopeFrom:addr'));
    case 'all':
      return msg.headers.flatMap((h) => emailsIn(h.value));
    case 'body':
      return msg.bodyText.flatMap(emailsIn);
    default:
      return /^[\x21-\x39\x3b-\x7e]+$/.test(source) ? headerValues(msg, request(source)).flatMap(emailsIn) : [];
  }
}

/** An address as check_hashbl_emails asks it, or undefined when it is not one to ask. */
function emailValue(addr: string, opts: HashblOpts, net: NetScan): string | undefined {
  const at = addr.lastIndexOf('@');
  if (at <= 0) return undefined;
  let user = addr.slice(0, at);
  const host = addr.slice(at + 1).toLowerCase();
  if (!hasValidTld(host, net.parseOptions.domains) || skippedHost(net, host)) return undefined;
  if (opts.flags.has('nodot')) user = user.replace(/\./g, '');
  if (opts.flags.has('notag')) user = user.replace(/\+.*$/, '');
  if (opts.flags.has('user')) return user;
  if (opts.flags.has('host')) return host;
  if (opts.flags.has('domain')) return registrableDomain(host, net.parseOptions.domains);
  return `${user}@${host}`;
}

/** Hosts under `uridnsbl_skip_domains` are never asked. */
function skippedHost(net: NetScan, host: string): boolean {
  const skip = optList(net.options, 'uridnsbl_skip_domains');
  if (skip.length === 0) return false;
  const dom = registrableDomain(host, net.parseOptions.domains);
  return skip.some((s) => s.toLowerCase() === host || s.toLowerCase() === dom);
}

/** The queries for values: picked, hashed, ignored ones left out. */
function queriesFor(net: NetScan, values: readonly string[], rule: HashblRule): RblQuery[] {
  const ignore = new Set(optList(net.options, 'hashbl_ignore').map((s) => s.toLowerCase()));
  const out: RblQuery[] = [];
  for (const v of pickValues(values.filter((x) => !ignore.has(x.toLowerCase())), rule.opts)) {
    const label = hashblLabel(v, rule.opts);
    if (label !== undefined && !ignore.has(label)) out.push({ name: `${label}.${rule.list.zone}`, type: rule.list.type });
  }
  return out;
}

/** The values an eval asks about. (A rawbody bodyre reads the rendered body too: a network start is not told its rule's type.) */
type Values = (net: NetScan, rule: HashblRule) => string[];

const QUERIES = 'hashbl:queries';

function hashblEval(name: string, areas: EvalDef['areas'], shape: Shape, values: Values): EvalDef {
  return {
    name,
    areas,
    validate: (args) => {
      const r = parseRule(args, shape);
      return 'error' in r ? r.error : undefined;
    },
    net: {
      start(net, args) {
        const rule = parseRule(args, shape);
        if ('error' in rule) return;
        const qs = queriesFor(net, values(net, rule), rule).filter((q) => net.query(q.name, q.type) !== undefined);
        // Kept per rule: a shuffled pick must be read back as it was asked.
        net.state(QUERIES, () => new WeakMap<readonly EvalArg[], RblQuery[]>()).set(args, qs);
      },
    },
    fn(ctx, args) {
      const net = ctx.net;
      const rule = parseRule(args, shape);
      if (!net || 'error' in rule) return false;
      const qs = net.state(QUERIES, () => new WeakMap<readonly EvalArg[], RblQuery[]>()).get(args) ?? [];
      return qs.some((q) => {
        const a = net.lookup(q.name, q.type)?.result();
        return a !== undefined && rblAnswerValues(a).some((v) => ((rule.sub.lastIndex = 0), rule.sub.test(v)));
      });
    },
  };
}

export const hashblEvals: readonly EvalDef[] = [
  hashblEval('check_hashbl_emails', ['header'], { dfltOpts: 'sha1/notag/noquote/max=10/shuffle', subIndex: 3, sourcesIndex: 2 }, (net, rule) =>
    rule.sources!.flatMap((s) => emailsFrom(net, s)).map((a) => emailValue(a, rule.opts, net)).filter((v): v is string => v !== undefined),
  ),
  hashblEval('check_hashbl_uris', ['header'], { dfltOpts: 'sha1/max=10/shuffle', subIndex: 2 }, (net) =>
    net.msg.uris.filter((u) => (u.scheme === 'http' || u.scheme === 'https') && !skippedHost(net, u.host)).map((u) => u.url.toLowerCase()),
  ),
  hashblEval('check_hashbl_bodyre', ['body', 'rawbody'], { dfltOpts: 'sha1/max=10/shuffle', subIndex: 3, reIndex: 2 }, (net, rule) =>
    bodyValues(net.msg.bodyText, rule),
  ),
];
