/**
 * A scan's lookups as a `QueryFn`, so code that takes a resolver (mailauth, through
 * `nodeStyleResolver`) asks through `NetScan.query`: each (name, type) once per scan, under the
 * scan's `rbl_timeout`, `dns_query_restriction` and `dns_block_rule`. A refused query reads as
 * REFUSED (a temporary error to SPF and DKIM), as when a server refuses it.
 */
import type { QueryFn } from './lookup-set';
import type { NetScan } from './net-scan';
import type { DnsAnswer, QueryType } from './types';
import { failure } from './wire';

export function scanQueryFn(net: NetScan): QueryFn {
  return {
    query(name: string, type: QueryType): Promise<DnsAnswer> {
      const lookup = net.lookup(name, type) ?? net.query(name, type);
      return lookup ? lookup.promise : Promise.resolve(failure(name, type, 'REFUSED'));
    },
  };
}
