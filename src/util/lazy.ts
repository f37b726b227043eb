/**
 * Load a module (or build any value) on first use. A `hamlet -t` process pays for every module it
 * loads before it reads a byte of mail: recheck ~200 ms, SQLite and the Bayes tokenizer tens of
 * ms, each heavy dependency 10-50 ms. Whatever a run may not need is loaded through this:
 *
 *   import type * as Recheck from 'recheck';
 *   // eslint-disable-next-line @typescript-eslint/no-require-imports
 *   const recheck = lazy(() => require('recheck') as typeof Recheck);
 *   ...
 *   recheck().checkSync(source, flags);
 *
 * The `import type` keeps the types (and costs nothing at run time); the `require` stays in the
 * caller's file so that relative paths resolve from there.
 */

/** A function that runs `load` once, on its first call, and returns that value ever after. */
export function lazy<T>(load: () => T): () => T {
  let loaded = false;
  let value: T | undefined;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}
