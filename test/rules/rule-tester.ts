/**
 * A rule tester for hamlet's own rules, in the spirit of typescript-eslint's:
 * each rule lists messages it must hit and messages it must miss. Messages are
 * built from a small description (headers, plain text, HTML) around a plain,
 * well-formed personal mail, so each case shows only what the rule looks at.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_RULES_DIR, loadConfig, scan, type RuleSet, type ScanResult } from '../../src/index';

/** A test message: raw text, or a description filled in around a clean default mail. */
export type TestMail = string | MailSpec;

export interface MailSpec {
  /** Header overrides by name; `null` removes a default header. Extra names are appended. */
  readonly headers?: Readonly<Record<string, string | null>>;
  /** Plain-text body (the default part). */
  readonly text?: string;
  /** HTML body: alone (text/html) or, with `text`, as multipart/alternative. */
  readonly html?: string;
  /** Extra MIME parts (each a complete part: headers, blank line, body) after the text. */
  readonly parts?: readonly string[];
}

/** The cases for one rule. */
export interface RuleCases {
  readonly hit: readonly TestMail[];
  readonly miss?: readonly TestMail[];
}

const DEFAULT_HEADERS: ReadonlyArray<[string, string]> = [
  ['Received', 'from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net (Postfix) with ESMTP id 4A1B2C3D4E for <bob@example.net>; Tue, 3 Sep 2002 10:00:05 +0100'],
  ['From', 'Alice Example <alice@example.org>'],
  ['To', 'Bob Example <bob@example.net>'],
  ['Subject', 'Lunch on Thursday'],
  ['Date', 'Tue, 3 Sep 2002 10:00:00 +0100'],
  ['Message-ID', '<20020903100000.GA1234@mail.example.org>'],
  ['MIME-Version', '1.0'],
];

const DEFAULT_TEXT = 'Hi Bob,\n\nare we still on for lunch on Thursday? The usual place at noon suits me.\n\nAlice\n';

/** Build message bytes (as a latin1 string) from a description. */
export function buildMail(spec: MailSpec): string {
  const headers = new Map<string, string | null>(DEFAULT_HEADERS);
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers.set(k, v);
  const text = spec.text ?? (spec.html === undefined ? DEFAULT_TEXT : undefined);
  let contentType: string;
  let body: string;
  const boundary = '----=_hamlet_test_boundary';
  if (spec.parts && spec.parts.length > 0) {
    contentType = `multipart/mixed; boundary="${boundary}"`;
    const first = spec.html !== undefined && text === undefined ? `Content-Type: text/html; charset=us-ascii\n\n${spec.html}` : `Content-Type: text/plain; charset=us-ascii\n\n${text ?? ''}`;
    body = [first, ...spec.parts].map((p) => `--${boundary}\n${p}\n`).join('') + `--${boundary}--\n`;
  } else if (spec.html !== undefined && text !== undefined) {
    contentType = `multipart/alternative; boundary="${boundary}"`;
    body = `--${boundary}\nContent-Type: text/plain; charset=us-ascii\n\n${text}\n--${boundary}\nContent-Type: text/html; charset=us-ascii\n\n${spec.html}\n--${boundary}--\n`;
  } else if (spec.html !== undefined) {
    contentType = 'text/html; charset=us-ascii';
    body = spec.html;
  } else {
    contentType = 'text/plain; charset=us-ascii';
    body = text ?? '';
  }
  if (!headers.has('Content-Type')) headers.set('Content-Type', contentType);
  const head = [...headers].filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}\n`).join('');
  return `${head}\n${body}`;
}

let cached: RuleSet | undefined;

/** hamlet's own rule set, loaded once per test file, with an empty site directory. */
export function ownRules(): RuleSet {
  cached ??= loadConfig({ configPath: DEFAULT_RULES_DIR, siteConfigPath: mkdtempSync(join(tmpdir(), 'hamlet-site-')) });
  return cached;
}

/** Scan a test message with hamlet's own rules (score set 0). */
export function scanMail(mail: TestMail, scoreSet = 0): ScanResult {
  const raw = typeof mail === 'string' ? mail : buildMail(mail);
  return scan(Buffer.from(raw, 'latin1'), ownRules(), { scoreSet });
}

const label = (m: TestMail, i: number): string => (typeof m === 'string' ? `raw #${i}` : `#${i} ${JSON.stringify(m).slice(0, 80)}`);

/**
 * Register one `node:test` test per rule: every hit message hits it, every miss message does not.
 * `scoreSet` is the set scanned in: 2 for rules scored only with Bayes (0 in sets 0 and 1 keeps them from running there).
 */
export function runRuleCases(cases: Readonly<Record<string, RuleCases>>, scoreSet = 0): void {
  for (const [rule, c] of Object.entries(cases)) {
    test(rule, () => {
      c.hit.forEach((m, i) => assert.ok((scanMail(m, scoreSet).counts.get(rule) ?? 0) > 0, `${rule} should hit ${label(m, i)}`));
      (c.miss ?? []).forEach((m, i) => assert.ok(!((scanMail(m, scoreSet).counts.get(rule) ?? 0) > 0), `${rule} should miss ${label(m, i)}`));
    });
  }
}
