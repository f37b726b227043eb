/**
 * The Subject names the recipient's own address, mailbox name or domain
 * ("you@example.com: password expires", "example.com Mail Delivery Suspended"):
 * mail written per target by a phishing kit fills in what it knows of the
 * victim, the address; people writing to someone use a name. Only the To
 * address(es) count; a mailbox name counts when it is at least 5 characters
 * and stands as a word outside brackets, so short or common local parts (info,
 * bob) and list tags cannot hit.
 */
import type { ScanContext } from '../engine/context';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../message/header-access';
import type { EvalDef } from './registry';

const TO_ADDRS = parseHeaderRequest('To:addr') as HeaderRequest;
const SUBJECT = parseHeaderRequest('Subject') as HeaderRequest;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words a mailbox is often called that also turn up in ordinary subjects. */
const COMMON_MAILBOXES = new Set(['admin', 'sales', 'support', 'contact', 'office', 'hello', 'users', 'staff', 'accounts', 'billing', 'service', 'devel', 'announce', 'general']);

export function subjectNamesRecipient(ctx: ScanContext): boolean {
  const subject = (headerText(ctx.msg, SUBJECT) ?? '').toLowerCase();
  if (subject.trim() === '') return false;
  for (const line of (headerText(ctx.msg, TO_ADDRS) ?? '').split('\n')) {
    const addr = line.trim().toLowerCase();
    const at = addr.lastIndexOf('@');
    if (at <= 0) continue;
    const local = addr.slice(0, at);
    const domain = addr.slice(at + 1);
    if (subject.includes(addr)) return true;
    if (domain.includes('.') && new RegExp(`(?:^|[^a-z0-9.-])${escape(domain)}(?![a-z0-9-])`).test(subject)) return true;
    // A mailbox name in brackets is a mailing list's subject tag ("[users] ..."), not a lure.
    if (local.length >= 5 && !COMMON_MAILBOXES.has(local) && new RegExp(`(?:^|[^a-z0-9._[-])${escape(local)}(?![a-z0-9_\\]-])`).test(subject)) return true;
  }
  return false;
}

export const recipientNamedEvals: readonly EvalDef[] = [{ name: 'check_subject_names_recipient', areas: ['header'], fn: (ctx) => subjectNamesRecipient(ctx) }];
