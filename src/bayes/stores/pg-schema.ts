/**
 * The PostgreSQL Bayes tables in SpamAssassin 4.0.1's layout (its bayes_pg.sql, read as a format:
 * the same tables, columns, keys and the `put_tokens` function its PgSQL store calls), written
 * here so that hamlet can set up an empty database itself: a database SpamAssassin's script made
 * is used as it is, and one hamlet made is one SpamAssassin can use.
 */
import type { PoolClient } from 'pg';

/** Tokens are the 5 low bytes of SHA-1, `bytea`; per-user rows hang off `bayes_vars.id`. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS bayes_expire (id integer NOT NULL DEFAULT 0, runtime integer NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS bayes_expire_idx1 ON bayes_expire (id);
CREATE TABLE IF NOT EXISTS bayes_global_vars (
  variable varchar(30) NOT NULL DEFAULT '' PRIMARY KEY,
  value varchar(200) NOT NULL DEFAULT '');
INSERT INTO bayes_global_vars (variable, value) VALUES ('VERSION', '3') ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS bayes_seen (
  id integer NOT NULL DEFAULT 0,
  msgid varchar(200) NOT NULL DEFAULT '',
  flag character(1) NOT NULL DEFAULT '',
  PRIMARY KEY (id, msgid));
CREATE TABLE IF NOT EXISTS bayes_token (
  id integer NOT NULL DEFAULT 0,
  token bytea NOT NULL DEFAULT '',
  spam_count integer NOT NULL DEFAULT 0,
  ham_count integer NOT NULL DEFAULT 0,
  atime integer NOT NULL DEFAULT 0,
  PRIMARY KEY (id, token));
CREATE INDEX IF NOT EXISTS bayes_token_idx1 ON bayes_token (token);
CREATE TABLE IF NOT EXISTS bayes_vars (
  id serial PRIMARY KEY,
  username varchar(200) NOT NULL DEFAULT '',
  spam_count integer NOT NULL DEFAULT 0,
  ham_count integer NOT NULL DEFAULT 0,
  token_count integer NOT NULL DEFAULT 0,
  last_expire integer NOT NULL DEFAULT 0,
  last_atime_delta integer NOT NULL DEFAULT 0,
  last_expire_reduce integer NOT NULL DEFAULT 0,
  oldest_token_age integer NOT NULL DEFAULT 2147483647,
  newest_token_age integer NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX IF NOT EXISTS bayes_vars_idx1 ON bayes_vars (username);
CREATE OR REPLACE FUNCTION greatest_int(integer, integer) RETURNS integer IMMUTABLE STRICT
  AS 'SELECT GREATEST($1, $2);' LANGUAGE SQL;
CREATE OR REPLACE FUNCTION least_int(integer, integer) RETURNS integer IMMUTABLE STRICT
  AS 'SELECT LEAST($1, $2);' LANGUAGE SQL;
CREATE OR REPLACE FUNCTION put_tokens(inuserid integer, intokenary bytea[], inspam_count integer, inham_count integer, inatime integer)
RETURNS void AS $fn$
DECLARE
  tok bytea;
  added integer := 0;
BEGIN
  FOREACH tok IN ARRAY intokenary LOOP
    UPDATE bayes_token
       SET spam_count = GREATEST(spam_count + inspam_count, 0),
           ham_count = GREATEST(ham_count + inham_count, 0),
           atime = GREATEST(atime, inatime)
     WHERE id = inuserid AND token = tok;
    -- A token is created only by a count going up.
    IF NOT FOUND AND inspam_count >= 0 AND inham_count >= 0 THEN
      INSERT INTO bayes_token (id, token, spam_count, ham_count, atime)
      VALUES (inuserid, tok, inspam_count, inham_count, inatime);
      added := added + 1;
    END IF;
  END LOOP;
  IF added > 0 OR inatime > 0 THEN
    UPDATE bayes_vars
       SET token_count = token_count + added,
           newest_token_age = CASE WHEN inatime > 0 THEN GREATEST(newest_token_age, inatime) ELSE newest_token_age END,
           oldest_token_age = CASE WHEN inatime > 0 THEN LEAST(oldest_token_age, inatime) ELSE oldest_token_age END
     WHERE id = inuserid;
  END IF;
END;
$fn$ LANGUAGE plpgsql;
`;

/** Advisory-lock key of the schema set-up (any constant no other code uses). */
const SCHEMA_LOCK = 0x68616d6c;

/**
 * Create the tables when `bayes_vars` is missing (inside the caller's transaction; two processes
 * setting up at once queue on an advisory lock). An existing database is left as it is.
 */
export async function ensureBayesSchema(c: PoolClient): Promise<void> {
  const has = async (): Promise<boolean> => (await c.query<{ t: string | null }>("SELECT to_regclass('bayes_vars') AS t")).rows[0]!.t !== null;
  if (await has()) return;
  await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
  if (!(await has())) await c.query(SCHEMA);
}
