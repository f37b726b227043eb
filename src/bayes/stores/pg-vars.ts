/** The PostgreSQL Bayes store's per-user counters (`bayes_vars`) as hamlet's StoreVars, and shared limits. */
import { DB_VERSION, type StoreVars } from '../store';

/** Rows per statement when a dump pages through a table or a restore fills one. */
export const PAGE_ROWS = 10000;
/** `bayes_seen.msgid` is varchar(200). */
export const MSGID_MAX = 200;

/** The user's counters and the schema version, by username. */
export const VARS_SQL = `
SELECT v.spam_count, v.ham_count, v.token_count, v.last_expire, v.last_atime_delta, v.last_expire_reduce,
       v.oldest_token_age, v.newest_token_age,
       (SELECT value FROM bayes_global_vars WHERE variable = 'VERSION') AS version
FROM bayes_vars v WHERE v.username = $1`;

export interface VarsRow {
  spam_count: number;
  ham_count: number;
  token_count: number;
  last_expire: number;
  last_atime_delta: number;
  last_expire_reduce: number;
  oldest_token_age: number;
  newest_token_age: number;
  version: string | null;
}

export function varsFromRow(r: VarsRow | undefined): StoreVars {
  if (!r) return { dbVersion: DB_VERSION, nspam: 0, nham: 0, ntokens: 0, oldestAtime: 0, newestAtime: 0, lastJournalSync: 0, lastExpire: 0, lastAtimeDelta: 0, lastExpireReduce: 0 };
  const ntokens = r.token_count;
  return {
    dbVersion: Number(r.version ?? DB_VERSION) || DB_VERSION,
    nspam: r.spam_count,
    nham: r.ham_count,
    ntokens,
    oldestAtime: ntokens > 0 && r.oldest_token_age < 2147483647 ? r.oldest_token_age : 0,
    newestAtime: ntokens > 0 ? r.newest_token_age : 0,
    lastJournalSync: 0,
    lastExpire: r.last_expire,
    lastAtimeDelta: r.last_atime_delta,
    lastExpireReduce: r.last_expire_reduce,
  };
}
