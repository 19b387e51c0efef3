import type { DbTx } from "./database.ts";

/**
 * Brings the planner's statistics for a table up to date when they are missing
 * or the table has grown by more than a tenth since they were taken: what
 * PostgreSQL's autovacuum does on its own, and what the embedded database
 * (PGlite, no autovacuum, and its change counters start again at every start)
 * never does. Without them the planner guesses a few rows where there are a
 * million, and may read and sort a whole table for each batch of an export.
 * One cheap read when nothing is due. `table` is a model's table name, never
 * user input.
 */
export async function freshenStatistics(db: DbTx, table: string): Promise<boolean> {
  const [size] = await db.$queryRawUnsafe<{ analysed: number; pages: number; now: number }[]>(
    `SELECT c.reltuples::float8 AS "analysed", c.relpages::float8 AS "pages",
            (pg_relation_size(c.oid) / current_setting('block_size')::int)::float8 AS "now"
       FROM pg_class c WHERE c.oid = to_regclass($1)`,
    `"${table}"`,
  );
  if (!size || (size.analysed >= 0 && size.now <= size.pages * 1.1 + 8)) return false;
  await db.$executeRawUnsafe(`ANALYZE "${table}"`);
  return true;
}
