/**
 * Forged-relay checks: a From: at a big web mail provider (Hotmail, Yahoo, Gmail,
 * Juno, Eudoramail) whose Received / provider headers do not look like that
 * provider's own, and AOL relay names in mail AOL never handled.
 */
import type { ScanContext } from '../engine/context';
import { IP_ADDRESS, getHeader, getHeaderOr } from './header-get';
import type { EvalDef } from './registry';
import { escapeRegex } from '../util/escape-regex';

/** Whitespace runs to one space, so the relay patterns can use plain spaces. */
function squash(s: string): string {
  return s.replace(/[ \t\n\r\f\v]+/g, ' ');
}

const IP_RE = new RegExp(IP_ADDRESS);

/** The header exists and holds an IP address somewhere. */
function hasIp(ctx: ScanContext, name: string): boolean {
  const v = getHeader(ctx, name);
  return v !== undefined && IP_RE.test(v);
}

/**
 * Mail whose Received headers were stripped by the list software (ezmlm,
 * MSN groups) or that has none at all: the forgery checks cannot judge it.
 */
export function gatedThroughReceivedRemover(ctx: ScanContext): boolean {
  const list = getHeader(ctx, 'Mailing-List');
  if (list !== undefined && /^contact \S+@\S+; run by ezmlm$/m.test(list)) {
    if (
      /^mailing list \S+@\S+/m.test(getHeaderOr(ctx, 'Delivered-To')) &&
      /qmail \d+ invoked (?:from network|by .{3,20})\); \d+ ... \d+/.test(getHeaderOr(ctx, 'Received'))
    ) {
      return true;
    }
  }
  const rcvd = getHeader(ctx, 'Received');
  if (rcvd === undefined) return true;
  return /from groups\.msn\.com \(\S+\.msn\.com /.test(rcvd);
}

/** Mail Hotmail handed straight to an MSN group, which legitimately lacks Hotmail relays. */
function msnGroupsMail(ctx: ScanContext): boolean {
  const to = /<(\S+)@groups\.msn\.com>/i.exec(getHeaderOr(ctx, 'To'));
  if (!to) return false;
  const list = to[1]!;
  const server = /from mail pickup service by ((?:p\d\d\.)groups\.msn\.com)\b/.exec(getHeaderOr(ctx, 'Received'));
  if (!server) return false;
  const mid = getHeaderOr(ctx, 'Message-Id');
  if (list === 'notifications') return new RegExp(`^<\\S+@${escapeRegex(server[1]!)}>`).test(mid);
  const l = escapeRegex(list);
  return new RegExp(`^<${l}-\\S+@groups\\.msn\\.com>`).test(mid) && new RegExp(`${l}-bounce@groups\\.msn\\.com`).test(getHeaderOr(ctx, 'EnvelopeFrom:addr'));
}

/** Received shapes of genuine Hotmail / Outlook.com hand-offs, and the provider header each needs. */
const HOTMAIL_OK: ReadonlyArray<readonly [RegExp, 'ip' | 'org']> = [
  [/from (?:\S*\.)?hotmail.com \(\S+\.hotmail(?:\.msn)?\.com[ )]/, 'ip'],
  [/from \S*\.outbound\.protection\.outlook\.com \(\S+\.outbound\.protection\.outlook\.com[ )]/, 'org'],
  [new RegExp(`from \\S*\\.(?:eur|nam)prd\\d+\\.prod\\.outlook\\.com \\(${IP_ADDRESS}\\)`), 'org'],
  [new RegExp(`from \\S*\\.hotmail.com \\(\\[${IP_ADDRESS}\\][ ):]`), 'ip'],
  [/from \S+ by \S+\.hotmail(?:\.msn)?\.com with HTTP;/, 'ip'],
  [/from \[66\.218.\S+\] by \S+\.yahoo\.com/, 'ip'],
];

type HotmailVerdict = 'ok' | 'forged-helo' | 'no-hotmail-relay';

/** One pass for both Hotmail rules: a relay claiming Hotmail, or a Hotmail From: with no Hotmail relay. */
function hotmailVerdict(ctx: ScanContext): HotmailVerdict {
  return ctx.memo('header-eval:hotmail', (): HotmailVerdict => {
    const rcvd = squash(getHeaderOr(ctx, 'Received'));
    if (/from mail pickup service by hotmail\.com with Microsoft SMTPSVC;/.test(rcvd)) return 'ok';
    if (msnGroupsMail(ctx)) return 'ok';
    const ip = hasIp(ctx, 'X-Originating-Ip');
    const org = /hotmail\.com|msonline-outlook/.test(getHeaderOr(ctx, 'X-OriginatorOrg'));
    if (gatedThroughReceivedRemover(ctx)) return 'ok';
    for (const [re, needs] of HOTMAIL_OK) if (re.test(rcvd) && (needs === 'ip' ? ip : org)) return 'ok';
    if (/(?:from |HELO |helo=)\S*hotmail\.com\b/.test(rcvd)) return 'forged-helo';
    return /\bhotmail\.com$/i.test(getHeaderOr(ctx, 'From:addr')) ? 'no-hotmail-relay' : 'ok';
  });
}

/** From: at Eudoramail but no whowhere.com relay with an X-Sender-Ip. */
function forgedEudoramail(ctx: ScanContext): boolean {
  if (!/\beudoramail\.com$/i.test(getHeaderOr(ctx, 'From:addr'))) return false;
  const rcvd = squash(getHeaderOr(ctx, 'Received'));
  const ip = hasIp(ctx, 'X-Sender-Ip');
  if (gatedThroughReceivedRemover(ctx)) return false;
  return !(/by \S*whowhere.com;/.test(rcvd) && ip);
}

/** Received shapes of Yahoo's own web and SMTP front ends. */
const YAHOO_OK: readonly RegExp[] = [
  /by web\S+\.mail\S*\.yahoo\.com via HTTP/,
  /by sonic\S+\.consmr\.mail\S*\.yahoo\.com with HTTP/,
  /by smtp\S+\.yahoo\.com with SMTP/,
  new RegExp(`from \\[${IP_ADDRESS}\\] by \\S+\\.(?:groups|scd|dcn)\\.yahoo\\.com with NNFMP`),
  // "Mail this story to a friend" pages.
  /by \w+\.\w+\.yahoo\.com \(\d+\.\d+\.\d+\/\d+\.\d+\.\d+\)(?: with ESMTP)? id \w+/,
];

/** From: at yahoo.com but no relay that looks like Yahoo's. */
function forgedYahoo(ctx: ScanContext): boolean {
  const from = getHeaderOr(ctx, 'From:addr');
  if (!/\byahoo\.com$/i.test(from)) return false;
  let rcvd = getHeaderOr(ctx, 'Received');
  // Resent mail: the X-Received trail is the one the original passed through.
  if (getHeaderOr(ctx, 'Resent-From') !== '' && getHeaderOr(ctx, 'Resent-To') !== '') {
    const x = getHeaderOr(ctx, 'X-Received');
    if (x !== '') rcvd = x;
  }
  rcvd = squash(rcvd);
  if (gatedThroughReceivedRemover(ctx)) return false;
  // Bounces from Yahoo count only when the Yahoo rDNS was seen by a hop we trust.
  const ph = ctx.msg.relays.pseudoHeaders;
  if (/ rdns=\S+\.yahoo\.com /.test(ph.trusted) || /^[^\]]+ rdns=\S+\.yahoo\.com /.test(ph.untrusted)) return false;
  if (YAHOO_OK.some((re) => re.test(rcvd))) return false;
  if (/\bmailer\d+\.bulk\.scd\.yahoo\.com\b/.test(rcvd) && /@reply\.yahoo\.com$/i.test(from)) return false;
  return true;
}

const JUNO_RELAY = new RegExp(`from.*\\b(?:juno|untd)\\.com.*[[(]${IP_ADDRESS}[\\])].*by`);
const MAILCOM_RELAY = new RegExp(`from.*\\bmail\\.com.*\\[${IP_ADDRESS}\\].*by`);
const UNTD_WEBMAIL = new RegExp(`from (webmail\\S+\\.untd\\.com) \\(\\1 \\[${IP_ADDRESS}\\]\\) by`);

/** From: at juno.com but the relays / X-Mailer do not match Juno's old or new style. */
function forgedJuno(ctx: ScanContext): boolean {
  if (!/\bjuno\.com$/i.test(getHeaderOr(ctx, 'From:addr'))) return false;
  if (gatedThroughReceivedRemover(ctx)) return false;
  const xorig = getHeaderOr(ctx, 'X-Originating-IP');
  const xmailer = getHeaderOr(ctx, 'X-Mailer');
  const rcvd = getHeaderOr(ctx, 'Received');
  if (xorig !== '') {
    if (!JUNO_RELAY.test(rcvd) && !/ cookie\.(?:juno|untd)\.com /.test(rcvd)) return true;
    return !xmailer.includes('Juno ');
  }
  if (MAILCOM_RELAY.test(rcvd)) {
    if (!/\bmail\.com/.test(xmailer)) return true;
  } else if (UNTD_WEBMAIL.test(rcvd)) {
    if (!/^Webmail Version \d/.test(xmailer)) return true;
  } else {
    return true;
  }
  // The new style was meant to carry an originating IP too; without one it never passes.
  return !IP_RE.test(xorig);
}

/** Shortest X-Gm-Message-State / X-Google-Smtp-Source Gmail itself writes. */
const GOOGLE_HEADER_MIN = 60;

/** From: at gmail.com but none of the traces Gmail's own servers leave. */
function forgedGmail(ctx: ScanContext): boolean {
  if (!/\bgmail\.com$/i.test(getHeaderOr(ctx, 'From:addr'))) return false;
  const xrcvd = getHeaderOr(ctx, 'X-Received');
  if (/by 10\.\S+ with SMTP id \S+/.test(xrcvd)) return false;
  if (/by 2002:a\d\d:\w+:\S+ with SMTP id \S+/.test(xrcvd)) return false;
  if (/by smtp\.googlemail\.com with ESMTPSA id \S+/.test(getHeaderOr(ctx, 'Received'))) return false;
  return !(getHeaderOr(ctx, 'X-Gm-Message-State').length >= GOOGLE_HEADER_MIN && getHeaderOr(ctx, 'X-Google-Smtp-Source').length >= GOOGLE_HEADER_MIN);
}

/** A relay named like AOL's (`rly-xx01.`) that AOL's own Received format does not back up. */
function fakeAolRelay(ctx: ScanContext): boolean {
  const rcvd = squash(getHeaderOr(ctx, 'Received'));
  if (!/ rly-[a-z][a-z]\d\d\./i.test(rcvd)) return false;
  return !/\/AOL-\d+\.\d+\.\d+\)/.test(rcvd) && !/ESMTP id (?:RELAY|MAILRELAY|MAILIN)/.test(rcvd);
}

export const headerForgedEvals: readonly EvalDef[] = [
  { name: 'gated_through_received_hdr_remover', areas: ['header'], fn: gatedThroughReceivedRemover },
  { name: 'check_for_forged_hotmail_received_headers', areas: ['header'], fn: (ctx) => hotmailVerdict(ctx) === 'forged-helo' },
  { name: 'check_for_no_hotmail_received_headers', areas: ['header'], fn: (ctx) => hotmailVerdict(ctx) === 'no-hotmail-relay' },
  { name: 'check_for_forged_eudoramail_received_headers', areas: ['header'], fn: forgedEudoramail },
  { name: 'check_for_forged_yahoo_received_headers', areas: ['header'], fn: forgedYahoo },
  { name: 'check_for_forged_juno_received_headers', areas: ['header'], fn: forgedJuno },
  { name: 'check_for_forged_gmail_received_headers', areas: ['header'], fn: forgedGmail },
  { name: 'check_for_fake_aol_relay_in_rcvd', areas: ['header'], fn: fakeAolRelay },
];
