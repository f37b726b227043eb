/**
 * The real scan worker with one network eval of the tests' own registered first (as
 * test/check/pipeline.test.ts registers one): `check_test_subject_listed()` asks the A record
 * of `<Subject>.wait.test` and hits when there is one. Each message asks its own name, so the
 * worker's DNS cache cannot hide the wait.
 */
import type { NetScan } from '../../src/dns/net-scan';
import { EVAL_REGISTRY } from '../../src/eval/index';
import type { EvalDef } from '../../src/eval/registry';
import type { Message } from '../../src/message/types';

const nameFor = (msg: Message): string => `${msg.headers.find((h) => h.key === 'x-wait-name')?.value.trim() ?? 'none'}.wait.test`;

const def: EvalDef = {
  name: 'check_test_wait_listed',
  areas: ['header'],
  net: {
    start(net: NetScan) {
      net.query(nameFor(net.msg), 'A');
    },
  },
  fn: (ctx) => {
    const a = ctx.net?.lookup(nameFor(ctx.net.msg), 'A')?.result();
    return a?.status === 'NOERROR' && a.records.length > 0;
  },
};
(EVAL_REGISTRY.active as Map<string, EvalDef>).set(def.name, def);

// Only now: the worker compiles its rules (and so looks the eval up) as it loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../src/spamd/worker');
