/**
 * Messages and DNS records for the SPF / DKIM / DMARC tests: a generated RSA key published as a
 * DKIM TXT record, messages signed with mailauth's signer, and a Received chain with one
 * external relay (the hop SPF checks).
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign';
import type { TestDnsServer } from './dns-server';

export interface DkimKey {
  readonly privateKey: string;
  /** The key record, split into TXT character-strings. */
  readonly txt: string[];
}

/** A fresh RSA key of `bits` (1024 unless given) and its `v=DKIM1` record (`extra` tags appended). */
export function dkimKey(bits = 1024, extra = ''): DkimKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const value = `v=DKIM1; k=rsa;${extra} p=${p}`;
  const txt: string[] = [];
  for (let i = 0; i < value.length; i += 255) txt.push(value.slice(i, i + 255));
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), txt };
}

/** Publish `key` as `selector._domainkey.domain`. */
export function publishKey(server: TestDnsServer, domain: string, selector: string, key: DkimKey): void {
  server.add(`${selector}._domainkey.${domain}`, 'TXT', key.txt);
}

/** `message` with a DKIM-Signature by `domain` prepended (CRLF line ends). */
export async function signed(message: string, domain: string, selector: string, key: DkimKey): Promise<string> {
  const crlf = message.replace(/\r?\n/g, '\r\n');
  const k = { signingDomain: domain, selector, privateKey: key.privateKey };
  // An explicit signing time: without one mailauth writes t= rounded to the nearest second, up to
  // half a second ahead, and a verification within that half second finds it "from the future".
  const r = await dkimSign(crlf, { ...k, signTime: new Date(), signatureData: [k] });
  if (r.errors.length > 0) throw new Error(`signing failed: ${String(r.errors[0])}`);
  return r.signatures + crlf;
}

export interface MessageSpec {
  /** The external relay's IP (192.0.2.5 unless given) and HELO (mail.example.com). */
  readonly ip?: string;
  readonly helo?: string;
  /** Return-Path (none when ''; alice@example.com unless given). */
  readonly returnPath?: string;
  readonly from?: string;
  /** Headers above the Received chain (added by our own hosts), e.g. Received-SPF. */
  readonly top?: string;
  /** A trusted internal hop above the external one (then Return-Path is not used for SPF). */
  readonly internalHop?: boolean;
  /** The external hop's Received records this envelope sender (Exim's `envelope-from`). */
  readonly envelopeFrom?: string;
  readonly body?: string;
}

/** A message that came from one external relay (192.0.2.5, HELO mail.example.com) to mx.local. */
export function authMessage(spec: MessageSpec = {}): string {
  const ip = spec.ip ?? '192.0.2.5';
  const helo = spec.helo ?? 'mail.example.com';
  const returnPath = spec.returnPath ?? 'alice@example.com';
  const lines: string[] = [];
  if (spec.top) lines.push(spec.top.replace(/\n$/, ''));
  if (returnPath !== '') lines.push(`Return-Path: <${returnPath}>`);
  if (spec.internalHop) lines.push('Received: from mx.local (mx.local [10.0.0.2])\n\tby inbox.local (Postfix) with ESMTP id A1B2C3; Mon, 7 Dec 2026 00:02:00 +0000');
  lines.push(
    spec.envelopeFrom !== undefined
      ? `Received: from host.example.org ([${ip}] helo=${helo})\n\tby mx.local with esmtp (Exim 4.96)\n\t(envelope-from <${spec.envelopeFrom}>)\n\tid 1kXyZq-0001Ab-Cd; Mon, 07 Dec 2026 00:01:00 +0000`
      : `Received: from ${helo} (host.example.org [${ip}])\n\tby mx.local (Postfix) with ESMTP id D4E5F6; Mon, 7 Dec 2026 00:01:00 +0000`,
  );
  lines.push(
    `From: Alice <${spec.from ?? 'alice@example.com'}>`, 'To: bob@example.net', 'Subject: quarterly figures',
    'Date: Mon, 7 Dec 2026 00:00:00 +0000', 'Message-ID: <q4.auth@example.com>', '', spec.body ?? 'The figures are attached.', '',
  );
  return lines.join('\n');
}

/** The configuration lines every auth test shares: our network boundary, and each rule scored. */
export function authRules(rules: Record<string, string>, extra: string[] = []): string {
  const lines = ['trusted_networks 10.0.0.0/8', 'internal_networks 10.0.0.0/8', 'rbl_timeout 3 1', ...extra];
  for (const [name, test] of Object.entries(rules)) {
    const kind = /^check_(dkim_(signed|valid|dependable)|arc_)/.test(test.replace(/^eval:/, '')) ? 'full' : 'header';
    lines.push(`${kind} ${name} eval:${test}`, `tflags ${name} net`, `score ${name} 0.1`);
  }
  return lines.join('\n');
}
