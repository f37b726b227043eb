/**
 * V8's code cache for the modules a short `hamlet` run, or a `hamlet-learn` learning run (each
 * thread its own file, src/cli/learn-early-start.ts), loads. Node 20 compiles every module
 * from source on every start, and V8 compiles each function again when it first runs: for a
 * one-message run that was ~50 ms of a ~0.6 s process (Node 22's module.enableCompileCache does
 * this job; Node 20 has only `vm.Script`'s `cachedData`). So CommonJS modules of hamlet's
 * package are compiled through `vm.Script` with the bytecode a previous run left, and when a
 * module had none (or V8 refused it), the process writes the bytecode of every module it loaded
 * as it exits: taken after the run, it holds the functions that ran, not only the top level.
 *
 * The file lives in the rule-set cache's directory (private-files.ts: owned by the user, not
 * writable by others, no symlinks). Each module's entry is keyed by its path and a checksum and
 * length of its source (V8 checks only the length), and each blob carries its own checksum, so
 * an edited module or a damaged file is compiled from source, never trusted. V8 itself refuses
 * bytecode of another V8 version or other flags; the file is rewritten then.
 */
import { existsSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Module } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as vm from 'node:vm';
import { preparePrivateDir, readFramedFile, writeFramedFile } from './private-files';
import { memoizeRelativeResolution } from './module-resolve-memo';

const MAGIC = Buffer.from('HAMLETCC1\n', 'latin1');
/** The file `hamlet`'s short runs keep; a program run under other V8 flags keeps its own (V8 refuses bytecode made under other flags). */
const DEFAULT_CODE_CACHE_FILE = 'modules.bin';
/** A code cache of hamlet's modules is a few MB; anything far larger is not ours. */
const MAX_BYTES = 64 * 1024 * 1024;

/** One module's bytecode as stored. */
interface Entry {
  readonly file: string;
  /** crc32 and length of the module's source. */
  readonly src: string;
  /** Where its bytecode is in the blob, and the bytecode's crc32. */
  readonly at: number;
  readonly len: number;
  readonly crc: number;
}

interface Header {
  readonly v8: string;
  readonly arch: string;
  readonly entries: readonly Entry[];
  /** Relative requires resolved (module-resolve-memo.ts; each entry is checked when read). */
  readonly resolved?: readonly unknown[];
}

/** What the cache did so far (tests and `-D` read it). */
export interface CodeCacheStats {
  /** Modules compiled with bytecode V8 accepted. */
  hits: number;
  /** Modules compiled from source (no entry, source changed, blob damaged, or refused by V8). */
  misses: number;
  /** Relative requires answered from the resolution memo (module-resolve-memo.ts). */
  resolved: number;
  /** Why the file was not read, when it was not (absent, untrusted, another V8, damaged). */
  unread?: string;
}

/** A code cache in use: `save()` writes what this run compiled when anything was missing (and the directory is there). */
export interface CodeCache {
  readonly stats: CodeCacheStats;
  /** Write the file when a module missed (called at exit); an error message when it could not be. */
  save(): string | undefined;
  /** Do not write: V8's flags changed since start (bytecode made now would be refused next time). */
  skipSave(): void;
}

type CompileFn = (this: NodeModule, content: string, filename: string, format?: string) => unknown;
interface ModuleInternals {
  prototype: { _compile: CompileFn };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeModule>;
}

const Mod = Module as unknown as ModuleInternals;

const sourceKey = (content: string): string => `${crc32(content).toString(16)}:${content.length}`;

function readEntries(file: string): { header: Header; blob: Buffer } | string {
  const got = readFramedFile(file, MAGIC, MAX_BYTES);
  if (typeof got === 'string') return got;
  const header = got.header as Header;
  if (!Array.isArray(header?.entries)) return 'corrupt header';
  if (header.v8 !== process.versions.v8 || header.arch !== process.arch) return 'another V8';
  return { header, blob: got.body };
}

/**
 * Built-in modules a one-shot run requires but never calls, loaded when a property is first
 * read: commander requires `child_process` (with the `net` and `dgram` it brings, ~7 ms) for
 * executable subcommands, which hamlet has none of; DNS code needs `dgram` only for a query.
 * Only modules read as plain objects qualify (no `import * as`, which copies every key).
 */
const LAZY_BUILTINS = new Map(
  ['node:child_process', 'node:dgram'].map((id) => {
    let real: object | undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = (): object => (real ??= require(id) as object);
    return [id, new Proxy({}, { get: (_, key) => Reflect.get(load(), key), has: (_, key) => Reflect.has(load(), key) })];
  }),
);

/** The `require` Node gives a module (its makeRequireFunction is internal). */
function requireFor(mod: NodeModule): NodeJS.Require {
  const req = ((id: string) => LAZY_BUILTINS.get(id) ?? mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => Mod._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => Mod._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = require.main;
  req.extensions = Mod._extensions;
  req.cache = Mod._cache;
  return req;
}

/** Node versions before 20.19 cannot give a vm.Script the loader's dynamic import(). */
const mainLoader = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/**
 * Compile the CommonJS modules under `root` (a directory) with the code cache `fileName` in `dir`
 * from now on; undefined when `dir` cannot be used. Call it once per thread, after V8's flags are final.
 */
export function useCodeCache(dir: string, root: string, fileName = DEFAULT_CODE_CACHE_FILE): CodeCache | undefined {
  // zlib.crc32 is Node 20.15's. The directory is the rule cache's: made when rules are loaded,
  // not by this (`hamlet --help` leaves no directory behind); missing, it is only not read.
  if (typeof crc32 !== 'function' || (preparePrivateDir(dir, false) !== undefined && existsSync(dir))) return undefined;
  const file = join(dir, fileName);
  const stats: CodeCacheStats = { hits: 0, misses: 0, resolved: 0 };
  const known = new Map<string, { entry: Entry; blob: Buffer }>();
  const read = readEntries(file);
  if (typeof read === 'string') stats.unread = read;
  else for (const entry of read.header.entries) known.set(entry.file, { entry, blob: read.blob });
  const loaded = new Map<string, { src: string; script: vm.Script; data?: Buffer }>();
  const prefix = root.endsWith(sep) ? root : root + sep;
  const memo = typeof read === 'string' || !Array.isArray(read.header.resolved) ? [] : read.header.resolved;
  const resolveMemo = memoizeRelativeResolution(Mod, prefix, memo, () => stats.resolved++);
  const original = Mod.prototype._compile;

  Mod.prototype._compile = function compileCached(this: NodeModule, content: string, filename: string, format?: string): unknown {
    // An ES module (Node 20.19's require() of ESM passes its format) goes Node's own way.
    const cjs = format === undefined || format === 'commonjs';
    if (!cjs || !filename.startsWith(prefix) || !filename.endsWith('.js') || (mainLoader === undefined && content.includes('import('))) {
      return original.call(this, content, filename, format);
    }
    const src = sourceKey(content);
    const k = known.get(filename);
    let cachedData: Buffer | undefined;
    if (k && k.entry.src === src && k.entry.at >= 0 && k.entry.at + k.entry.len <= k.blob.length) {
      const data = k.blob.subarray(k.entry.at, k.entry.at + k.entry.len);
      if (crc32(data) === k.entry.crc) cachedData = data;
    }
    const script = new vm.Script(Mod.wrap(content), { filename, cachedData, importModuleDynamically: mainLoader as never });
    const hit = cachedData !== undefined && !script.cachedDataRejected;
    if (hit) stats.hits++;
    else stats.misses++;
    loaded.set(filename, { src, script, data: hit ? cachedData : undefined });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename));
  };

  let skip = false;
  return {
    stats,
    skipSave: () => {
      skip = true;
    },
    save: () => {
      if (skip || (stats.misses === 0 && !resolveMemo.changed()) || preparePrivateDir(dir, false) !== undefined) return undefined;
      const entries: Entry[] = [];
      const blobs: Buffer[] = [];
      let at = 0;
      const add = (f: string, src: string, data: Buffer): void => {
        entries.push({ file: f, src, at, len: data.length, crc: crc32(data) });
        blobs.push(data);
        at += data.length;
      };
      for (const [f, m] of loaded) add(f, m.src, m.data ?? m.script.createCachedData());
      // Modules other runs loaded (hamlet with Bayes, with network tests) stay.
      for (const [f, k] of known) {
        if (!loaded.has(f) && k.entry.at + k.entry.len <= k.blob.length) add(f, k.entry.src, k.blob.subarray(k.entry.at, k.entry.at + k.entry.len));
      }
      return writeFramedFile(dir, fileName, MAGIC, { v8: process.versions.v8, arch: process.arch, entries, resolved: resolveMemo.entries() } satisfies Header, blobs);
    },
  };
}
