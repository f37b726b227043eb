/**
 * `check_rbl_ns_from(set, zone[, sub-test])`: asks for the NS records of the envelope sender's
 * host, then asks the list about the primary name server (SOA MNAME) that the answer's
 * authority section names: `mname.zone`. Observed from SpamAssassin 4.0.1 against a test DNS
 * server: only that SOA is read, so a host that is itself a zone (NS records in the answer, no
 * SOA) asks nothing more and cannot hit. The second query starts when the NS answer arrives,
 * during the harvest, which waits for it too. `skip_rbl_checks` turns it off.
 */
import { rhsblQueryName } from '../dns/blocklist';
import { isFqdnValid } from '../message/domain';
import { anyListed, rblBook, subtestArg } from './dns-rbl-book';
import { checkSetZone, rblNet } from './dns-rbl';
import { envfromHost } from './dns-rbl-hosts';
import { strArg, type EvalDef } from './registry';

export const dnsRblNsEvals: readonly EvalDef[] = [
  {
    name: 'check_rbl_ns_from',
    areas: ['header'],
    validate: (args) => checkSetZone(args, 2),
    net: {
      start(net, args) {
        const [set, zone] = [strArg(args, 0), strArg(args, 1)];
        const host = envfromHost(net);
        if (net.settings.skipRblChecks || !set || !zone || !host || !isFqdnValid(host)) return;
        const ns = net.query(host, 'NS');
        void ns?.promise.then((answer) => {
          // Given up on (timed out, or the harvest ended): nothing would read a second query.
          if (answer.status === 'TIMEOUT') return;
          const book = rblBook(net);
          for (const soa of answer.authority ?? []) {
            if (isFqdnValid(soa.mname)) book.ask(net, set, { name: rhsblQueryName(soa.mname, zone), type: 'A' });
          }
        });
      },
    },
    fn(ctx, args) {
      const net = rblNet(ctx);
      const [set, zone] = [strArg(args, 0), strArg(args, 1)];
      const sub = subtestArg(args, 2);
      if (!net || !set || !zone || 'error' in sub) return false;
      const suffix = `.${zone.replace(/\.+$/, '').toLowerCase()}`;
      return anyListed(net, (rblBook(net).sets.get(set) ?? []).filter((q) => q.name.endsWith(suffix)), sub);
    },
  },
];
