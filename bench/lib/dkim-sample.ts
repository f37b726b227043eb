/**
 * DKIM for bench:network: sign a share of the sample with a key generated for the run
 * (mailauth's signer, d= the author's domain so DMARC can align), alter some after signing,
 * and publish the keys. The signed copies are written to a temp dir; both engines read them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dkimSign } from 'mailauth/lib/dkim/sign';
import type { DKIMSignOptions } from 'mailauth';
import type { TestRecord } from '../../test/helpers/dns-server';

export const DKIM_SELECTOR = 'hamletbench';

export interface SignedSample {
  /** The sample with signed messages replaced by their copies. */
  readonly files: string[];
  readonly records: TestRecord[];
  readonly signed: number;
  readonly altered: number;
}

/** The author's domain: the first address of the first From field. */
function authorDomain(head: string): string | undefined {
  const from = /^From:[ \t]*((?:.*)(?:\n[ \t].*)*)/im.exec(head)?.[1];
  return from ? /@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/.exec(from)?.[1]?.toLowerCase() : undefined;
}

/** Sign every `every`-th file (from the second); of those, every third is altered after signing. */
export async function signSample(files: readonly string[], dir: string, every = 5): Promise<SignedSample> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const out = [...files];
  const domains = new Set<string>();
  let signed = 0;
  let altered = 0;
  for (let i = 1; i < files.length; i += every) {
    const raw = readFileSync(files[i]!);
    const text = raw.toString('latin1');
    const end = text.search(/\r?\n\r?\n/);
    const domain = authorDomain(end < 0 ? text : text.slice(0, end));
    if (!domain) continue;
    // The .d.ts shows one flat signature; the signer reads `signatureData` (one entry per signature).
    // signTime: without it t= is rounded to the nearest second, up to 0.5 s ahead of a quick verifier.
    const opts = { signTime: new Date(), signatureData: [{ signingDomain: domain, selector: DKIM_SELECTOR, privateKey: key }], canonicalization: 'relaxed/relaxed' };
    const r = await dkimSign(raw, opts as unknown as DKIMSignOptions);
    if (!r.signatures.startsWith('DKIM-Signature')) continue;
    let copy = Buffer.concat([Buffer.from(r.signatures.replace(/\r\n/g, '\n'), 'latin1'), raw]);
    if (signed % 3 === 2) {
      // A footer added in transit, as a list server does: the body hash no longer matches.
      copy = Buffer.concat([copy, Buffer.from('\n-- \nadded after signing\n', 'latin1')]);
      altered++;
    }
    signed++;
    domains.add(domain);
    out[i] = join(dir, `signed-${basename(files[i]!)}`);
    writeFileSync(out[i]!, copy);
  }
  const records = [...domains].map((d) => ({ name: `${DKIM_SELECTOR}._domainkey.${d}`, type: 'TXT', data: `v=DKIM1; k=rsa; p=${p}`, ttl: 300 }));
  return { files: out, records, signed, altered };
}
