import type { DbTx } from "../db/database.ts";

/**
 * Inserts planned rows into one table with a single statement a chunk: the
 * chunk goes as one JSON text and the database turns it into rows with
 * json_populate_recordset, against the table's own column types. Prisma's
 * createMany sends a parameter a cell, which at 100,000 answers took about a
 * millisecond a row on the embedded database (PGlite); this takes a small
 * part of that (bench/RESULTS.md, "synthetic data").
 *
 * Fills what Prisma would fill on the client: a missing `id` (a random UUID)
 * and a missing `updatedAt` (now); a cell left out where the column has a
 * default gets the default. `table` is a model's table name, never user input.
 */
export async function bulkInsert(db: DbTx, table: string, rows: readonly Record<string, unknown>[], chunk = 20_000): Promise<void> {
  if (rows.length === 0) return;
  const columns = await db.$queryRawUnsafe<{ name: string; fallback: string | null; required: boolean }[]>(
    `SELECT column_name::text AS "name", column_default::text AS "fallback", is_nullable = 'NO' AS "required"
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    table,
  );
  const given = new Set(rows.flatMap((row) => Object.keys(row)));
  const targets: string[] = [];
  const values: string[] = [];
  for (const c of columns) {
    const cell = `r."${c.name}"`;
    const fallback = c.fallback ?? (c.name === "id" ? "gen_random_uuid()::text" : c.name === "updatedAt" ? "now()" : null);
    if (!given.has(c.name) && !(c.required && fallback)) continue;
    targets.push(`"${c.name}"`);
    values.push(!given.has(c.name) ? fallback! : c.required && fallback ? `COALESCE(${cell}, ${fallback})` : cell);
  }
  const statement = `INSERT INTO "${table}"(${targets.join(", ")}) SELECT ${values.join(", ")} FROM json_populate_recordset(NULL::"${table}", $1::json) r`;
  for (let i = 0; i < rows.length; i += chunk) await db.$executeRawUnsafe(statement, JSON.stringify(rows.slice(i, i + chunk)));
}
