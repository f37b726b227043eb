/**
 * parse-dump — a development check for work on the message model: writes, for every corpus
 * message, everything rules read from it (headers in all their forms, MIME parts, body views,
 * HTML renderings and stats, URIs, relays and the X-Spam-Relays-* pseudo-headers), one JSON
 * line per message. Dump before and after a change and compare the files: an optimisation
 * must leave them byte-identical.
 *
 * Usage: node dist/bench/parse-dump.js OUT [--config] [--against BASE]
 *   --config   parse with the stock rule set's settings (TLD lists, redirectors) and some networks instead of defaults
 *   --against  compare with an earlier dump and name the first messages and fields that differ
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, parseMessage } from '../src/index';
import { headerValues, parseHeaderRequest, type HeaderRequest } from '../src/message/header-access';
import type { HtmlRender } from '../src/message/html';
import type { ParseOptions } from '../src/message/parse';
import type { Message, MimePart } from '../src/message/types';
import { CORPUS_GROUPS, corpusFiles } from '../test/helpers/corpus';
import { LOCAL_ONLY_CF } from './lib/local-only';

const sha = (s: string | Buffer): string => createHash('sha1').update(s).digest('hex').slice(0, 16);

function req(spec: string): HeaderRequest {
  const r = parseHeaderRequest(spec);
  if ('error' in r) throw new Error(r.error);
  return r;
}

const SPECIAL = [
  'ALL', 'ALL:raw', 'ToCc', 'ToCc:addr', 'ToCc:name', 'EnvelopeFrom', 'MESSAGEID', 'MESSAGEID:raw',
  'ALL-TRUSTED', 'ALL-UNTRUSTED', 'ALL-INTERNAL', 'ALL-EXTERNAL', 'ALL-UNTRUSTED:raw',
  'X-Spam-Relays-Trusted', 'X-Spam-Relays-Untrusted', 'X-Spam-Relays-Internal', 'X-Spam-Relays-External',
].map((s) => [s, req(s)] as const);
const FORMS = ['', ':raw', ':addr', ':name', ':name:raw', ':first', ':last', ':addr:first'];

function headerForms(m: Message): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const names = [...new Set(m.headers.map((h) => h.name))];
  for (const n of names) for (const f of FORMS) out[n + f] = headerValues(m, req(n + f));
  for (const [spec, r] of SPECIAL) out[spec] = headerValues(m, r);
  return out;
}

function part(p: MimePart): unknown {
  const leaf = p.children.length === 0;
  return {
    headers: p.headers.length,
    type: p.type,
    params: p.typeParams,
    charset: p.charset,
    encoding: p.encoding,
    disposition: p.disposition,
    filename: p.filename,
    depth: p.depth,
    rawBody: p.rawBody.length,
    ...(leaf ? { decoded: sha(p.decoded()), text: sha(p.text()) } : {}),
    decodedSize: p.decodedSize,
    children: p.children.map(part),
  };
}

function html(h: HtmlRender): unknown {
  return {
    text: h.text,
    links: h.links,
    anchors: h.anchors,
    titles: h.titles,
    comments: h.comments,
    commentSources: h.commentSources,
    scripts: h.scripts.map(sha),
    inside: [...h.inside],
    stats: { ...h.stats, backhair: [...h.stats.backhair] },
  };
}

function dump(m: Message): unknown {
  // Touch the lazy views in the order a scan would, then read the flags they may set.
  const d = {
    mboxFrom: m.mboxFrom,
    lineEnding: m.lineEnding,
    headerBytes: sha(m.headerBytes),
    bodyBytes: m.bodyBytes.length,
    headers: m.headers.map((h) => [h.name, h.key, h.raw, h.value]),
    forms: headerForms(m),
    root: part(m.root),
    leaves: m.leaves.length,
    bodyText: m.bodyText,
    rawBodyText: m.rawBodyText,
    fullText: sha(m.fullText),
    htmlParts: m.htmlParts.map(html),
    uris: m.uris,
    uriList: m.uriList,
    relays: { ...m.relays, pseudoHeaders: m.relays.pseudoHeaders },
    flags: m.flags,
  };
  return d;
}

/** Name the messages (and their first differing fields) where two dumps disagree; returns how many. */
function compare(lines: readonly string[], basePath: string): number {
  const base = readFileSync(basePath, 'utf8').split('\n');
  let diffs = 0;
  for (let i = 0; i < Math.max(lines.length, base.length - 1); i++) {
    if (lines[i] === base[i]) continue;
    if (++diffs > 5) continue;
    const a = JSON.parse(lines[i] ?? '{}') as Record<string, unknown>;
    const b = JSON.parse(base[i] ?? '{}') as Record<string, unknown>;
    const keys = Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    console.log(`differs: ${String(a.path ?? b.path)}: ${keys.join(', ')}`);
  }
  return diffs;
}

function main(): void {
  const out = process.argv[2];
  if (!out) throw new Error('usage: parse-dump OUT [--config]');
  let opts: ParseOptions = {};
  if (process.argv.includes('--config')) {
    // Networks configured too, so the configured trust path is compared as well as the inferred one.
    const nets = 'trusted_networks 10.0.0.0/8 192.168.0.0/16 64.0.0.0/8\ninternal_networks 10.0.0.0/8\nmsa_networks 192.168.0.0/16';
    opts = loadConfig({ configPath: '/usr/share/spamassassin', siteConfigPath: '/etc/spamassassin', extraText: LOCAL_ONLY_CF + '\n' + nets }).parseOptions;
  }
  const lines: string[] = [];
  for (const g of CORPUS_GROUPS) {
    for (const path of corpusFiles(g)) {
      const m = parseMessage(readFileSync(path), opts);
      lines.push(JSON.stringify({ path: path.slice(path.indexOf(g)), ...(dump(m) as object) }));
    }
  }
  const text = lines.join('\n') + '\n';
  writeFileSync(out, text);
  console.log(`parse-dump: ${lines.length} messages, ${(text.length / 1e6).toFixed(1)} MB, sha1 ${sha(text)}`);
  const against = process.argv.indexOf('--against');
  if (against > 0) {
    const n = compare(lines, process.argv[against + 1]!);
    console.log(n === 0 ? 'parse-dump: identical to the base dump' : `parse-dump: ${n} messages differ`);
    if (n > 0) process.exitCode = 1;
  }
}

main();
