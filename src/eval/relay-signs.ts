/**
 * Offline signs (no DNS) that a message came straight from a home connection or a
 * spam tool rather than a mail server: what the receiving MTAs wrote about the
 * client's reverse DNS and its HELO. Mail servers, ESPs and shops send from
 * hosts with a proper name that they also give as HELO; a botnet PC on a
 * dial-up, DSL or cable line has an rDNS made of its address, and spamware
 * greets with a bare word, an address, or a big provider's name it does not own.
 * Such tools also often send no Message-ID, so the one the message has is our border's.
 */
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { Relay } from '../message/types';
import type { EvalDef } from './registry';

/** Labels that name a sending mail host: ESP and ISP outbound servers have these beside their address digits. */
const MAIL_HOST = /(?:^|[.-])(?:mail|smtp|mx|out(?:bound)?|relay|mta|bounce|mailer|send|newsletter|lists?)\d*(?:[.-]|$)/i;
/** Labels ISPs use for customer lines. */
const DYNAMIC_WORD = /(?:^|[.\d-])(?:a?dsl|[xv]dsl|dial(?:up|in)?|dyn(?:amic|ip)?|pool|ppp(?:oe)?|cable|dhcp|cust(?:omer)?|client|cpe|catv|modem|broadband|resnet|res|home|user|pc)\d*(?:[.\d-]|$)/i;
const IP_LITERAL = /^\[?\d{1,3}(?:\.\d{1,3}){3}\]?$/;

/**
 * The client's last three address octets stand as numbers in `name` (in either order), or its
 * hex form does. Two are not enough: ESP hosts are often named by the last two (m42-12.esp.net).
 */
function namesItsAddress(ip: string, name: string): boolean {
  const o = ip.split('.');
  if (o.length !== 4) return false;
  const numbers: readonly string[] = name.match(/\d+/g) ?? [];
  if ([o[1]!, o[2]!, o[3]!].every((x) => numbers.includes(x))) return true;
  const hex = o.map((x) => Number(x).toString(16).padStart(2, '0')).join('');
  return name.toLowerCase().includes(hex.slice(2));
}

/** A name that looks given to a customer line rather than to a server. */
export function looksDynamic(ip: string, name: string): boolean {
  if (name === '' || IP_LITERAL.test(name) || MAIL_HOST.test(name)) return false;
  return DYNAMIC_WORD.test(name) || namesItsAddress(ip, name);
}

/** A HELO no mail server gives: a bare word, an address literal, or a dynamic-looking name. */
function badHelo(r: Relay): boolean {
  if (r.helo === '') return false;
  if (IP_LITERAL.test(r.helo)) return true;
  if (!r.helo.includes('.') && !r.helo.startsWith('[')) return true;
  return looksDynamic(r.ip, r.helo);
}

/** The untrusted relay nearest to us with a public IPv4 client (the host that connected to our border). */
function firstPublic(ctx: ScanContext): Relay | undefined {
  const r = ctx.msg.relays.untrusted[0];
  return r !== undefined && !r.ipPrivate && r.ip.includes('.') ? r : undefined;
}

/** Big mail providers, each with the rDNS domains its own outbound hosts have (none listed: the HELO's own domain). */
const PROVIDERS: readonly (readonly [RegExp, RegExp | undefined])[] = [
  [/(?:^|\.)(?:hotmail|msn|live|outlook)\.com$/i, /(?:^|\.)(?:hotmail|msn|live|outlook|microsoft)\.com$/i],
  [/(?:^|\.)yahoo\.(?:com|co\.[a-z]{2}|[a-z]{2})$/i, /(?:^|\.)(?:yahoo\.(?:com|net|co\.[a-z]{2}|[a-z]{2})|yahoodns\.net)$/i],
  [/(?:^|\.)aol\.com$/i, /(?:^|\.)aol\.(?:com|net)$/i],
  [/(?:^|\.)(?:gmail|google(?:mail)?)\.com$/i, /(?:^|\.)google(?:mail)?\.com$/i],
  [/(?:^|\.)(?:cs|compuserve)\.com$/i, /(?:^|\.)(?:compuserve|cs|aol)\.com$/i],
  [/(?:^|\.)(?:excite|lycos|juno|netzero|earthlink|email|mail)\.com$/i, undefined],
];

/**
 * Some untrusted public relay greets with a big provider's name while what its receiver
 * recorded says otherwise: an rDNS outside the provider, or no rDNS for a HELO of the bare domain.
 */
function heloClaimsProvider(ctx: ScanContext): boolean {
  for (const r of ctx.msg.relays.untrusted) {
    if (r.ipPrivate || !r.ip.includes('.')) continue;
    if (r.rdns === '' && !r.noReverseDns) continue; // the receiver did not write its lookup down
    const helo = r.helo.toLowerCase().replace(/\.$/, '');
    const family = PROVIDERS.find(([h]) => h.test(helo));
    if (family === undefined) continue;
    const rdns = r.rdns.toLowerCase().replace(/\.$/, '');
    const domain = helo.split('.').slice(-2).join('.');
    // Without an rDNS only the provider's bare domain counts: receivers that skip the lookup
    // also "record none" for the providers' real hosts (mail-xx.google.com).
    if (rdns === '' && helo !== domain && !/^yahoo\.co\.[a-z]{2}$/.test(helo)) continue;
    const owned = family[1] ? family[1].test(rdns) : rdns === domain || rdns.endsWith(`.${domain}`);
    if (!owned) return true;
  }
  return false;
}

const MESSAGE_ID = parseHeaderRequest('Message-ID') as HeaderRequest;
const lastTwo = (host: string): string => host.toLowerCase().replace(/\.$/, '').split('.').slice(-2).join('.');

/**
 * The Message-ID is one the server at our border wrote when it took the message from outside
 * (its queue id at its own name): the message came without one. Every mail program and ESP
 * writes a Message-ID; spam tools talking SMTP straight to the MX often leave it out.
 */
function msgidFromBorder(ctx: ScanContext): boolean {
  const r = ctx.msg.relays.untrusted[0];
  if (r === undefined || r.id.length < 5 || r.ip === '' || r.ipPrivate) return false;
  const m = /^\s*<([^@>]+)@([^>]+)>\s*$/.exec(headerText(ctx.msg, MESSAGE_ID) ?? '');
  return m !== null && m[1]!.includes(r.id) && lastTwo(m[2]!) === lastTwo(r.by);
}

export const relaySignEvals: readonly EvalDef[] = [
  { name: 'check_msgid_from_border', areas: ['header'], fn: msgidFromBorder },
  {
    name: 'check_first_relay_dynamic',
    areas: ['header'],
    fn: (ctx) => {
      const r = firstPublic(ctx);
      return r !== undefined && looksDynamic(r.ip, r.rdns);
    },
  },
  {
    name: 'check_first_relay_dynamic_bad_helo',
    areas: ['header'],
    fn: (ctx) => {
      const r = firstPublic(ctx);
      return r !== undefined && (looksDynamic(r.ip, r.rdns) || r.noReverseDns) && badHelo(r);
    },
  },
  { name: 'check_relay_helo_claims_provider', areas: ['header'], fn: heloClaimsProvider },
];
