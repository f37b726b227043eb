/** Shared pieces of the AWL tests: a rule set from .cf text, crafted messages, temp directories. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load';
import type { RuleSet } from '../../src/config/compile';

/** A fresh temp directory, removed by the returned function. */
export function tempDir(prefix = 'hamlet-awl-'): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The AWL plugin's rule as 60_awl.cf defines it, plus test rules keyed on words in the Subject / body. */
export const AWL_RULES = `
loadplugin Mail::SpamAssassin::Plugin::Check
loadplugin Mail::SpamAssassin::Plugin::AWL
ifplugin Mail::SpamAssassin::Plugin::AWL
header AWL eval:check_from_in_auto_welcomelist()
describe AWL Adjusted score from AWL reputation of From: address
tflags AWL userconf noautolearn
priority AWL 1000
endif
required_score 5
header H1 Subject =~ /\\bh1\\b/
score H1 1
header H5 Subject =~ /\\bh5\\b/
score H5 5
header H9 Subject =~ /\\bh9\\b/
score H9 9
body B1 /\\bb1\\b/
score B1 1
header N3 Subject =~ /\\bn3\\b/
score N3 3
tflags N3 noautolearn
header U3 Subject =~ /\\bu3\\b/
score U3 3
tflags U3 userconf
header L3 Subject =~ /\\bl3\\b/
score L3 3
tflags L3 learn
header NA3 Subject =~ /\\bna3\\b/
score NA3 3
tflags NA3 noawl
header P3 Subject =~ /\\bp3\\b/
score P3 3
priority P3 2000
`;

/** Compile `.cf` text (written to a temp rules directory) plus optional extra config lines. */
export function rulesFrom(cf: string, extra = ''): RuleSet {
  const t = tempDir('hamlet-awl-rules-');
  try {
    mkdirSync(join(t.dir, 'rules'));
    writeFileSync(join(t.dir, 'rules', '10_test.cf'), cf);
    return loadConfig({ configPath: join(t.dir, 'rules'), extraText: extra });
  } finally {
    t.done();
  }
}

/** A Received header for a hop from `ip` (newest hops first when several are given). */
export function received(ip: string, n = 1): string {
  return `Received: from h${n}.example.net (h${n}.example.net [${ip}])\n\tby mx${n}.example.org (Postfix) with ESMTP id X${n}\n\tfor <me@local.test>; Mon, 2 Nov 2026 10:00:00 +0000`;
}

/** A message from `from`, relayed by `ips` (newest first), with `subject` and `body`. */
export function mail(from: string, ips: readonly string[], subject: string, body = 'hello'): Buffer {
  const lines = [
    ...ips.map((ip, i) => received(ip, i + 1)),
    `From: Sender <${from}>`,
    'To: me@local.test',
    `Subject: ${subject}`,
    'Message-ID: <1@example.net>',
    'Date: Mon, 2 Nov 2026 10:00:00 +0000',
    '',
    body,
    '',
  ];
  return Buffer.from(lines.join('\n'), 'latin1');
}
