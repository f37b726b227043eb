/**
 * The worker side of dns-thread.ts: a TestDnsServer in its own thread, so it answers (and its
 * delays run) while the bench's main thread is busy scanning. Requests come as messages.
 */
import { parentPort } from 'node:worker_threads';
import { TestDnsServer, type Behaviour, type TestRecord } from '../../test/helpers/dns-server';

export type DnsThreadRequest =
  | { readonly id: number; readonly op: 'add'; readonly records: readonly TestRecord[] }
  | { readonly id: number; readonly op: 'behave'; readonly zone: string; readonly behaviour: Behaviour }
  | { readonly id: number; readonly op: 'take' }
  | { readonly id: number; readonly op: 'stop' };

const port = parentPort!;
void TestDnsServer.start().then((server) => {
  port.postMessage({ ready: server.spec });
  port.on('message', (req: DnsThreadRequest) => {
    const reply = (result: unknown): void => port.postMessage({ id: req.id, result });
    switch (req.op) {
      case 'add':
        for (const r of req.records) server.add(r.name, r.type, r.data, r.ttl);
        return reply(server.errors.length);
      case 'behave':
        server.behave(req.zone, req.behaviour);
        return reply(null);
      case 'take':
        // The queries since the last take, as [name, type] pairs.
        return reply(server.received.splice(0).map((q) => [q.name, q.type]));
      case 'stop':
        void server.stop().then(() => {
          reply(null);
          port.close();
        });
    }
  });
});
