/**
 * SPF, DKIM, ARC and DMARC for one scan, run once through mailauth on the scan's own lookups
 * (`scanQueryFn`: deduplicated, bounded by `rbl_timeout`, refused where `dns_query_restriction`
 * says so). Every auth eval starts it through `startMailAuth` and reads `mailAuthResults` after
 * the harvest. Its wait key 'mailauth' is shared: the askdns helper awaits it and then reads
 * the DKIM tags from `net.tags`, which are set before the wait settles.
 */
import type * as DkimVerify from 'mailauth/lib/dkim/verify';
import type * as Spf from 'mailauth/lib/spf';
import type * as Dmarc from 'mailauth/lib/dmarc';
import type * as Arc from 'mailauth/lib/arc';
import type { DKIMVerifyResult, DNSResolver } from 'mailauth';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Message } from '../message/types';
import { dkimSignatures, type DkimSignature } from './dkim-signatures';
import type { NetScan, NetWait } from './net-scan';
import { nodeStyleResolver } from './node-adapter';
import { scanQueryFn } from './scan-query';
import { spfIdentity, type SpfIdentity, type SpfResult } from './spf-identity';
import { lazy } from '../util/lazy';

// mailauth is loaded on the first scan with network tests (a `-L` run never pays for it).
/* eslint-disable @typescript-eslint/no-require-imports */
const mailauth = lazy(() => ({
  dkimVerify: (require('mailauth/lib/dkim/verify') as typeof DkimVerify).dkimVerify,
  spf: (require('mailauth/lib/spf') as typeof Spf).spf,
  dmarc: (require('mailauth/lib/dmarc') as typeof Dmarc).dmarc,
  verifyASChain: (require('mailauth/lib/arc') as typeof Arc).verifyASChain,
}));
/* eslint-enable @typescript-eslint/no-require-imports */

/** Load mailauth now (a server's start-up step when network tests are on), not on the first scan. */
export function preloadMailAuth(): void {
  mailauth();
}

/** The key of the shared wait (a contract with the askdns helper). */
export const MAIL_AUTH_WAIT = 'mailauth';

/** The DMARC outcome as SpamAssassin's DMARC plugin keeps it. */
export interface DmarcOutcome {
  readonly result: 'pass' | 'fail' | 'none';
  /** The published `p=` on pass, the policy applied on fail, 'no policy available' without a record. */
  readonly policy: string;
}

export interface MailAuthResults {
  readonly identity: SpfIdentity;
  /** Sender (mfrom) result; undefined when not checked. */
  readonly spf: SpfResult | undefined;
  readonly spfHelo: SpfResult | undefined;
  readonly dkim: readonly DkimSignature[];
  /** Author addresses (From) and their lower-cased domains, as DKIM compares them. */
  readonly authors: readonly string[];
  readonly authorDomains: ReadonlySet<string>;
  readonly arcSigned: boolean;
  readonly arcValid: boolean;
  readonly dmarc: DmarcOutcome | undefined;
}

/** Start the scan's mailauth run (once; later calls get the same wait). */
export function startMailAuth(net: NetScan): NetWait<MailAuthResults> {
  return net.wait(MAIL_AUTH_WAIT, () => runMailAuth(net));
}

/** The results once harvested in time; undefined without network, before, or after a timeout. */
export function mailAuthResults(net: NetScan | undefined): MailAuthResults | undefined {
  return net?.waitFor<MailAuthResults>(MAIL_AUTH_WAIT)?.result();
}

function request(spec: string): HeaderRequest {
  const r = parseHeaderRequest(spec);
  if ('error' in r) throw new Error(r.error);
  return r;
}
const FROM_ADDR = request('From:addr');
const ENVFROM_ADDR = request('EnvelopeFrom:addr');

/** The message as mailauth reads it: without an mbox `From ` line. */
function messageBytes(msg: Message): Buffer {
  const raw = msg.raw;
  if (raw.subarray(0, 5).toString('latin1') !== 'From ') return raw;
  const nl = raw.indexOf(0x0a);
  return nl < 0 ? raw : raw.subarray(nl + 1);
}

/** The From address's domain, lower-cased, when it has one. */
export function authorDomainOf(msg: Message): string | undefined {
  return /@([^@]+?)[ \t]*$/.exec(headerText(msg, FROM_ADDR) ?? '')?.[1]?.toLowerCase();
}

async function runMailAuth(net: NetScan): Promise<MailAuthResults> {
  const resolver = nodeStyleResolver(scanQueryFn(net)) as DNSResolver;
  const msg = net.msg;
  const identity = spfIdentity(msg, net.options);
  const relay = identity.relay;
  // DMARC's record is asked now, beside SPF and DKIM, not after them: mailauth's DMARC step then
  // finds it answered (the scan asks each name once), and a scan waits one round trip less.
  const author = authorDomainOf(msg);
  if (relay && author) net.query(`_dmarc.${author}`, 'TXT');
  const check = (scope: 'mfrom' | 'helo'): Promise<SpfResult | undefined> => {
    const recorded = identity.recorded[scope];
    if (recorded) return Promise.resolve(recorded);
    const who = scope === 'mfrom' ? identity.sender : identity.helo;
    if (!relay || who === undefined) return Promise.resolve(undefined);
    return spfCheck(resolver, relay.ip, relay.helo, who);
  };
  // minBitLength 1 lets every key verify; dkim_minimum_key_bits is applied by the evals.
  const [dk, spfMfrom, spfHelo] = await Promise.all([mailauth().dkimVerify(messageBytes(msg), { resolver, minBitLength: 1 }), check('mfrom'), check('helo')]);
  const sigs = dkimSignatures(msg, dk.results);
  setDkimTags(net, sigs);
  const chain = dk.arc?.chain || [];
  const arcValid = chain.length > 0 && (arcMessageSignatureOk(dk) || (await mailauth().verifyASChain({ ...dk.arc, chain }, { resolver, minBitLength: 1 }).then(Boolean, () => false)));
  const fromAddr = headerText(msg, FROM_ADDR);
  const authors = fromAddr ? [fromAddr] : [];
  const authorDomains = new Set(author ? [author] : []);
  return {
    identity,
    spf: spfMfrom,
    spfHelo,
    dkim: sigs,
    authors,
    authorDomains,
    // (A chain mailauth cannot read, such as cv=pass at i=1, still counts as signed.)
    arcSigned: chain.length > 0 || msg.headers.some((h) => h.key === 'arc-seal' || h.key === 'arc-message-signature'),
    arcValid,
    dmarc: relay && fromAddr?.includes('@') ? await dmarcOutcome(resolver, msg, fromAddr, spfMfrom, dk) : undefined,
  };
}

/**
 * SpamAssassin's ARC_VALID wants one ARC signature that verifies, the newest message signature
 * or the seals (observed: a body altered after sealing still gives ARC_VALID, the seals being
 * good). Not matched: SpamAssassin also calls a chain with cv=pass at i=1 valid (its message
 * signature verifies); mailauth rejects that chain unread, so here it is signed, not valid.
 */
function arcMessageSignatureOk(dk: DKIMVerifyResult): boolean {
  const last = dk.arc?.lastEntry as { messageSignature?: { status?: { result?: string } } } | undefined;
  return last?.messageSignature?.status?.result === 'pass';
}

/** One SPF check; mailauth's verdict names are SpamAssassin's (its 'temperr' spelled out). */
async function spfCheck(resolver: DNSResolver, ip: string, helo: string, who: string): Promise<SpfResult | undefined> {
  try {
    const r = await mailauth().spf({ sender: who, ip, helo: helo || 'unknown', mta: 'localhost', resolver });
    const v = r.status.result as string;
    if (v === 'temperr') return 'temperror';
    return ['pass', 'neutral', 'none', 'fail', 'softfail', 'permerror', 'temperror'].includes(v) ? (v as SpfResult) : undefined;
  } catch {
    return 'temperror';
  }
}

/**
 * DMARC as SpamAssassin feeds Mail::DMARC: the From address, the SPF sender result for the
 * EnvelopeFrom domain (else the From domain) counting only on pass, and the valid DKIM
 * signatures' `d=`. A lookup failure gives no outcome (no DMARC rule hits).
 */
async function dmarcOutcome(resolver: DNSResolver, msg: Message, fromAddr: string, spfResult: SpfResult | undefined, dk: DKIMVerifyResult): Promise<DmarcOutcome | undefined> {
  const mfrom = /@([^@\s]+)$/.exec(headerText(msg, ENVFROM_ADDR) ?? '')?.[1] ?? /@([^@\s]+)$/.exec(fromAddr)?.[1];
  const r = await mailauth().dmarc({
    headerFrom: fromAddr,
    spfDomains: spfResult === 'pass' && mfrom ? [mfrom.toLowerCase()] : [],
    dkimDomains: dk.results.filter((s) => s.status.result === 'pass' && s.signingDomain).map((s) => ({ domain: s.signingDomain })),
    resolver,
  }).catch(() => false as const);
  if (!r) return undefined;
  const res = r as unknown as { status: { result: string }; p?: string; policy?: string };
  if (res.status.result === 'none') return { result: 'none', policy: 'no policy available' };
  if (res.status.result === 'pass') return { result: 'pass', policy: res.p ?? 'none' };
  if (res.status.result === 'fail') return { result: 'fail', policy: res.policy ?? 'none' };
  return undefined;
}

/** DKIMIDENTITY, DKIMDOMAIN, DKIMSELECTOR: from valid signatures, duplicates dropped, space-separated. */
function setDkimTags(net: NetScan, sigs: readonly DkimSignature[]): void {
  const valid = sigs.filter((s) => s.valid);
  const list = (f: (s: DkimSignature) => string) => [...new Set(valid.map(f).filter((v) => v !== ''))].join(' ');
  net.tags.set('DKIMIDENTITY', list((s) => s.identity));
  net.tags.set('DKIMDOMAIN', list((s) => s.domain));
  net.tags.set('DKIMSELECTOR', list((s) => s.selector));
}
