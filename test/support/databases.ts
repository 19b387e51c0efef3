import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";

/**
 * The databases tests run on: always the embedded PGlite; the real PostgreSQL
 * too when WESAID_TEST_POSTGRES_URL is set (CI sets it), each run in a fresh
 * database that is dropped afterwards.
 */
export type Backend = "embedded" | "postgres";

export function backends(): Backend[] {
  return process.env.WESAID_TEST_POSTGRES_URL ? ["embedded", "postgres"] : ["embedded"];
}

export async function openTestDatabase(backend: Backend, options: { observeQueries?: boolean } = {}): Promise<Database> {
  if (backend === "embedded") return openDatabase({ inMemory: true, ...options });
  const fresh = await freshPostgres();
  const db = await openDatabase({ databaseUrl: fresh.url, ...options });
  return {
    ...db,
    close: async () => {
      await db.close();
      await fresh.drop();
    },
  };
}

/** A new, empty PostgreSQL database on WESAID_TEST_POSTGRES_URL's server, for a whole app (or two replicas) to start on. */
export async function freshPostgres(adminUrl = process.env.WESAID_TEST_POSTGRES_URL!, prefix = "wesaid_test"): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

const PUBLIC_TABLES = "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations'";
const SNAPSHOT_SCHEMA = "wesaid_test_snapshot";

/**
 * Empties every table (but the migrations record) between tests that share a database. DELETE with the foreign
 * keys' triggers off, in one statement: on tables of a test's size it is ten to fifty times quicker than
 * TRUNCATE, which makes new files for every table and index.
 */
export async function emptyDatabase(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`DO $$ DECLARE t text; BEGIN
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR t IN ${PUBLIC_TABLES} LOOP EXECUTE format('DELETE FROM %I', t); END LOOP;
  END $$`);
}

/** Copies every table's rows aside (in a schema of their own), for `restoreDatabase` to put back. */
export async function snapshotDatabase(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`DO $$ DECLARE t text; BEGIN
    EXECUTE 'DROP SCHEMA IF EXISTS ${SNAPSHOT_SCHEMA} CASCADE';
    EXECUTE 'CREATE SCHEMA ${SNAPSHOT_SCHEMA}';
    FOR t IN ${PUBLIC_TABLES} LOOP EXECUTE format('CREATE TABLE ${SNAPSHOT_SCHEMA}.%I AS TABLE public.%I', t, t); END LOOP;
  END $$`);
}

/** Puts every table back as `snapshotDatabase` found it (a table made since is emptied), in one statement. */
export async function restoreDatabase(db: Database): Promise<void> {
  await db.prisma.$executeRawUnsafe(`DO $$ DECLARE t text; BEGIN
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR t IN ${PUBLIC_TABLES} LOOP
      EXECUTE format('DELETE FROM %I', t);
      IF to_regclass(format('${SNAPSHOT_SCHEMA}.%I', t)) IS NOT NULL THEN EXECUTE format('INSERT INTO public.%I TABLE ${SNAPSHOT_SCHEMA}.%I', t, t); END IF;
    END LOOP;
  END $$`);
}

/** Every row of every table, as PostgreSQL writes a row as text: for tests that search a whole database (the erasure scan). */
export async function everyRowAsText(prisma: Database["prisma"]): Promise<{ table: string; row: string }[]> {
  const tables = await prisma.$queryRawUnsafe<{ tablename: string }[]>("SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  const rows: { table: string; row: string }[] = [];
  for (const { tablename } of tables) {
    const found = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${tablename}" t`);
    rows.push(...found.map((r) => ({ table: tablename, row: r.row })));
  }
  return rows;
}

/** Where any of `needles` appears in those rows (as written, or escaped inside JSON). */
export function rowsMentioning(rows: { table: string; row: string }[], needles: readonly string[]): string[] {
  return rows.flatMap(({ table, row }) => needles.filter((n) => row.includes(n) || row.includes(JSON.stringify(n).slice(1, -1))).map((n) => `${table}: ${n} in ${row.slice(0, 300)}`));
}
