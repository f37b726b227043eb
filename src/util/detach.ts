/**
 * A copy of `s` that shares no memory with the string it was cut from. V8 makes a slice of a
 * long string a view on it, so a slice kept in a cache (a URI cut from a body, a header name
 * cut from a message's header block) keeps the whole text alive for as long as the entry.
 * (Concatenating flattens into a new string, and the slice is then taken from that one.)
 */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}
