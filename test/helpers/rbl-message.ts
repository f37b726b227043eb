/** Messages for the DNS blocklist tests: a Received chain of given relay IPs, newest first. */

/** A message relayed through `relays` (the first is the hop that reached our MX). */
export function relayedMessage(relays: readonly string[], headers = '', body = 'hello'): string {
  const hops = relays.map(
    (ip, i) =>
      `Received: from h${i}.example.org (h${i}.rdns.example.org [${ip}])\n\tby ${i === 0 ? 'mx.example.net' : `h${i - 1}.example.org`} (Postfix) with ESMTP id Q${i}; Mon, 7 Dec 2026 00:0${i}:00 +0000\n`,
  );
  return `${hops.join('')}${headers}From: a@example.org\nTo: b@example.net\nSubject: hi\nDate: Mon, 7 Dec 2026 00:00:00 +0000\nMessage-ID: <dns-${relays.length}@example.org>\n\n${body}\n`;
}

/** An IPv4 address's octets reversed (its DNSBL label). */
export const rev = (ip: string): string => ip.split('.').reverse().join('.');
