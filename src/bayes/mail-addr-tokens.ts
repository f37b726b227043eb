/** Bayes tokens of a mail address, shared by the body and header tokenizers. */

/** `user@host` -> `U*user`, `D*host` and `D*` for each parent domain. */
export function mailAddrTokens(addr: string, out: string[]): void {
  const m = /^(.+)@(.+)$/s.exec(addr);
  if (!m) return;
  out.push('U*' + m[1], 'D*' + m[2]);
  let dom = m[2]!;
  for (;;) {
    const dot = /^[^.]+\.(.+)$/s.exec(dom);
    if (!dot) break;
    dom = dot[1]!;
    out.push('D*' + dom);
  }
}
