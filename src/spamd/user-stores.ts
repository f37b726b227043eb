/**
 * The Bayes and AWL databases a scan worker uses, opened once and kept: one
 * `FeedbackStores` per (rule set, user directory, user), so each SQLite file is opened
 * once per worker (WAL, busy timeout; see src/bayes/stores/sqlite-db.ts), not per
 * request. A user's preferences can change `use_bayes` and friends, so the key
 * includes the rule set the request runs with; a few recent entries are kept and
 * the least recently used one is closed when more are needed.
 */
import type { RuleSet } from '../config/compile';
import { openFeedbackStores, type FeedbackStores } from '../learn/feedback';
import type { UserTree } from '../util/owned-files';
import { treeDbGuard } from '../util/sqlite-file';

/** Whose files a request's stores are. */
export interface StoreAccess {
  /** The user's tree: databases in it are checked and given to its user. */
  readonly tree?: UserTree;
  /** No databases at the default per-user places (root without -u, a user it cannot serve as itself). */
  readonly noUserFiles?: boolean;
  /** Whose rows in a shared SQL store (the request's user); default: the worker's own. */
  readonly user?: string;
}

interface Entry {
  readonly rules: RuleSet;
  readonly stores: FeedbackStores;
}

export class StoreCache {
  private readonly map = new Map<string, Entry>();

  constructor(private readonly max = 16) {}

  /**
   * The stores for a request: `home` is the directory `~` stands for (the user's,
   * from user-prefs.ts), or undefined for the daemon's own.
   */
  get(rules: RuleSet, home: string | undefined, key = '', access: StoreAccess = {}): FeedbackStores {
    const k = `${key}\0${home ?? ''}\0${access.noUserFiles ? 'none' : ''}\0${access.user ?? ''}`;
    const hit = this.map.get(k);
    if (hit) {
      this.map.delete(k);
      if (hit.rules === rules) {
        this.map.set(k, hit);
        return hit.stores;
      }
      closeQuietly(hit.stores); // that user's preferences were read again
    }
    const guard = access.tree ? treeDbGuard(access.tree) : undefined;
    const stores = openFeedbackStores(rules, { ...(home === undefined ? {} : { home }), guard, noDefaultPaths: access.noUserFiles, username: access.user });
    this.map.set(k, { rules, stores });
    if (this.map.size > this.max) {
      const [oldest, e] = this.map.entries().next().value!;
      this.map.delete(oldest);
      closeQuietly(e.stores);
    }
    return stores;
  }

  /** Close every database (worker shutdown). */
  async close(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    await Promise.all(all.map((e) => closeQuietly(e.stores)));
  }
}

/** Close stores no request uses any more: their pending atime stamps only steer expiry, so a failure is dropped. */
function closeQuietly(stores: FeedbackStores): Promise<void> {
  return stores.close().catch(() => undefined);
}
