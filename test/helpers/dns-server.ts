/**
 * A real DNS server for tests: UDP and TCP on 127.0.0.1 (one random port), serving records the
 * test adds, and misbehaving on request per name or zone: answering late, SERVFAIL, never
 * answering, or truncating over UDP so the client must retry on TCP. It counts the queries it
 * receives, so tests can show that the client deduplicates and caches.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';

/** Record data as dns-packet takes it (A: '1.2.3.4', TXT: string or string[], MX: { exchange, preference }, ...). */
export interface TestRecord {
  readonly name: string;
  readonly type: string;
  readonly data: unknown;
  readonly ttl: number;
}

/** How the server treats names at or under a zone. */
export interface Behaviour {
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number;
  readonly servfail?: boolean;
  /** Never answer (UDP and TCP). */
  readonly drop?: boolean;
  /** Over UDP, answer with TC set and no records; answer in full over TCP. */
  readonly truncate?: boolean;
}

/** One query the server received. */
export interface ReceivedQuery {
  readonly name: string;
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
  /** Whether it carried an EDNS0 OPT record. */
  readonly edns: boolean;
}

const lower = (n: string) => n.replace(/\.+$/, '').toLowerCase();

export class TestDnsServer {
  readonly address = '127.0.0.1';
  readonly received: ReceivedQuery[] = [];
  /** Answers the server could not encode (bad test data, e.g. a TXT string over 255 bytes); it sent SERVFAIL. */
  readonly errors: Error[] = [];
  private readonly records: TestRecord[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly soas = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly tcpSockets = new Set<net.Socket>();

  private constructor(
    private readonly udp: dgram.Socket,
    private readonly tcp: net.Server,
    readonly port: number,
  ) {}

  /** Start on a free port shared by UDP and TCP (retrying if TCP finds it taken). */
  static async start(): Promise<TestDnsServer> {
    for (let tries = 0; ; tries++) {
      const udp = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
      const port = udp.address().port;
      const tcp = net.createServer();
      const ok = await new Promise<boolean>((resolve) => {
        tcp.once('error', () => resolve(false));
        tcp.listen(port, '127.0.0.1', () => resolve(true));
      });
      if (ok) {
        const s = new TestDnsServer(udp, tcp, port);
        s.listen();
        return s;
      }
      udp.close();
      if (tries > 20) throw new Error('no free port for the test DNS server');
    }
  }

  /** `127.0.0.1:PORT`, as `dns_server` takes it. */
  get spec(): string {
    return `${this.address}:${this.port}`;
  }

  /** Serve a record. */
  add(name: string, type: string, data: unknown, ttl = 300): this {
    this.records.push({ name: lower(name), type, data, ttl });
    return this;
  }

  /** Make `zone` authoritative with this SOA minimum (negative answers then carry the SOA). */
  soa(zone: string, minimum: number): this {
    this.soas.set(lower(zone), minimum);
    return this;
  }

  /** Misbehave for names at or under `zone` (the longest matching zone decides; '' is every name). */
  behave(zone: string, b: Behaviour): this {
    this.behaviours.set(lower(zone), b);
    return this;
  }

  /** Queries received for (name, type). */
  count(name: string, type?: string): number {
    const n = lower(name);
    return this.received.filter((q) => q.name === n && (type === undefined || q.type === type)).length;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.tcpSockets) s.destroy();
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  private listen(): void {
    this.udp.on('message', (msg, rinfo) => {
      this.handle(msg, 'udp', (reply) => this.udp.send(reply, rinfo.port, rinfo.address));
    });
    this.tcp.on('connection', (socket) => {
      this.tcpSockets.add(socket);
      socket.on('close', () => this.tcpSockets.delete(socket));
      socket.on('error', () => socket.destroy());
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
          buffered = buffered.subarray(2 + msg.length);
          this.handle(msg, 'tcp', (reply) => {
            if (!socket.destroyed) socket.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply]));
          });
        }
      });
    });
  }

  private handle(msg: Buffer, transport: 'udp' | 'tcp', send: (b: Buffer) => void): void {
    let query: packet.DecodedPacket;
    try {
      query = packet.decode(msg);
    } catch {
      return;
    }
    const q = query.questions?.[0];
    if (!q) return;
    const name = lower(q.name);
    this.received.push({ name, type: q.type, transport, edns: (query.additionals ?? []).some((a) => a.type === 'OPT') });
    const b = this.behaviourFor(name);
    if (b.drop) return;
    const reply = () => send(this.encode(query, q, name, b.servfail === true, transport === 'udp' && b.truncate === true));
    if (!b.delayMs) return reply();
    const t = setTimeout(() => {
      this.timers.delete(t);
      reply();
    }, b.delayMs);
    this.timers.add(t);
  }

  private encode(query: packet.DecodedPacket, q: packet.Question, name: string, servfail: boolean, truncate: boolean): Buffer {
    try {
      return packet.encode(this.answer(query, q, name, servfail, truncate));
    } catch (e) {
      this.errors.push(e as Error);
      return packet.encode(this.answer(query, q, name, true, false));
    }
  }

  private behaviourFor(name: string): Behaviour {
    let best: Behaviour = {};
    let bestLen = -1;
    for (const [zone, b] of this.behaviours) {
      if ((zone === '' || name === zone || name.endsWith('.' + zone)) && zone.length > bestLen) {
        best = b;
        bestLen = zone.length;
      }
    }
    return best;
  }

  private answer(query: packet.DecodedPacket, q: packet.Question, name: string, servfail: boolean, truncate: boolean): packet.Packet {
    const flags = packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE;
    const base = { type: 'response' as const, id: query.id, questions: [q] };
    if (servfail) return { ...base, flags: flags | 2 };
    if (truncate) return { ...base, flags: flags | packet.TRUNCATED_RESPONSE };
    const atName = this.records.filter((r) => r.name === name);
    const matching = atName.filter((r) => r.type === q.type || (r.type === 'CNAME' && q.type !== 'CNAME'));
    if (matching.length > 0) {
      const answers = matching.map((r) => ({ name: r.name, type: r.type, ttl: r.ttl, class: 'IN', data: r.data }) as packet.Answer);
      return { ...base, flags, answers };
    }
    // The name exists when it, or a name under it, has records: then NODATA, else NXDOMAIN.
    const exists = this.records.some((r) => r.name === name || r.name.endsWith('.' + name));
    const rcode = exists ? 0 : 3;
    return { ...base, flags: flags | rcode, authorities: this.soaFor(name) };
  }

  private soaFor(name: string): packet.Answer[] {
    for (const [zone, minimum] of this.soas) {
      if (name === zone || name.endsWith('.' + zone)) {
        return [{ name: zone, type: 'SOA', ttl: 3600, class: 'IN', data: { mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum } }];
      }
    }
    return [];
  }
}
