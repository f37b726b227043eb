/**
 * Client host names for spamd's `connection from <name> [addr]` and `rhost=` fields.
 * spamd asks the resolver for each connection; hamletd asks once per address
 * (getnameinfo, so /etc/hosts answers first) and keeps the answer a while, so a
 * busy MTA's connections cost one lookup per address, never one per scan, and a
 * request never waits for a name: until it is known the address stands in.
 */
import { lookupService } from 'node:dns/promises';

const KEEP_MS = 10 * 60_000;
const MAX_NAMES = 1000;

interface Entry {
  name: string | undefined;
  until: number;
  pending?: Promise<string>;
}

export class PeerNames {
  private readonly names = new Map<string, Entry>();

  constructor(private readonly lookup: (addr: string) => Promise<string> = async (a) => (await lookupService(a, 0)).hostname) {}

  /** The name already known for `addr`, if any (no lookup). */
  known(addr: string): string | undefined {
    const e = this.names.get(addr);
    return e && e.until > Date.now() ? e.name : undefined;
  }

  /** The name of `addr`: from the cache, else looked up (the address itself when it has none). */
  name(addr: string): Promise<string> {
    const e = this.names.get(addr);
    if (e && e.until > Date.now()) return e.pending ?? Promise.resolve(e.name ?? addr);
    if (this.names.size >= MAX_NAMES) this.names.clear();
    const entry: Entry = { name: undefined, until: Date.now() + KEEP_MS };
    entry.pending = this.lookup(addr)
      .catch(() => addr)
      .then((n) => {
        entry.name = n || addr;
        entry.pending = undefined;
        return entry.name;
      });
    this.names.set(addr, entry);
    return entry.pending;
  }
}
