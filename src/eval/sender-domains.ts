/** Sender consistency: does the From: domain match the envelope sender's? */
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { EvalDef } from './registry';

const FROM = parseHeaderRequest('From:addr') as HeaderRequest;
const ENVFROM = parseHeaderRequest('EnvelopeFrom:addr') as HeaderRequest;

/** The last two labels of an address's domain ('' when there is none). */
function shortDomain(addr: string | undefined): string {
  const m = /@([^@]*)$/.exec(addr ?? '');
  if (!m) return '';
  return m[1]!.replace(/^.+\.([^.]+\.[^.]+)$/, '$1').toLowerCase();
}

/** From: and envelope sender are at different domains (compared on their last two labels). */
function differentFromDomains(ctx: ScanContext): boolean {
  const from = shortDomain(headerText(ctx.msg, FROM));
  if (from === '') return false;
  const env = shortDomain(headerText(ctx.msg, ENVFROM));
  return env !== '' && from !== env;
}

export const senderDomainEvals: readonly EvalDef[] = [{ name: 'check_equal_from_domains', areas: ['header'], fn: differentFromDomains }];
