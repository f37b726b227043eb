/**
 * Perl DBI data source names as SpamAssassin's SQL options give them
 * (`DBI:Pg:dbname=bayes;host=127.0.0.1;port=5432`), read into what a client needs.
 */

/** A DSN's driver (`Pg`, `mysql`, `SQLite`...) and its `key=value` attributes. */
export interface DbiDsn {
  readonly driver: string;
  readonly attrs: ReadonlyMap<string, string>;
}

/** Parse `dbi:Driver:k=v;k=v` (a bare database name after the driver counts as `dbname`); undefined when it is not a DBI DSN. */
export function parseDbiDsn(dsn: string): DbiDsn | undefined {
  const m = /^dbi:([A-Za-z_]\w*)(?:\([^)]*\))?:(.*)$/i.exec(dsn.trim());
  if (!m) return undefined;
  const attrs = new Map<string, string>();
  for (const part of m[2]!.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) attrs.set('dbname', part.trim());
    else attrs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return { driver: m[1]!, attrs };
}

/** What node-postgres needs to connect. */
export interface PgConnection {
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
}

/** DBD::Pg's attributes (`dbname`/`db`/`database`, `host`, `port`) as a node-postgres config. */
export function pgConnection(dsn: DbiDsn, user: string, password: string): PgConnection {
  const a = dsn.attrs;
  const port = a.get('port');
  return {
    host: a.get('host') ?? a.get('hostaddr'),
    port: port === undefined ? undefined : Number(port),
    database: a.get('dbname') ?? a.get('db') ?? a.get('database'),
    user: user || undefined,
    password: password || undefined,
  };
}

/** True for a DSN naming PostgreSQL's DBI driver (`DBI:Pg:`). */
export function isPgDsn(dsn: string): boolean {
  return parseDbiDsn(dsn)?.driver.toLowerCase() === 'pg';
}
