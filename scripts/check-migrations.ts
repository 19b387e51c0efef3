/**
 * Fails when prisma/schema.prisma and prisma/migrations disagree.
 *
 * Applies the migrations to one empty embedded database and the SQL that
 * Prisma derives from the schema alone to another, then compares what the
 * two catalogues hold: tables, columns, types, defaults, nullability,
 * indexes, constraints and enums. `npm run db:check`.
 */
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, loadMigrations, type SqlRunner } from "../src/db/migrations.ts";
// @ts-expect-error plain ESM script without types
import { runPrismaAsync } from "./prisma.mjs";

const CATALOGUE_QUERIES = {
  columns: `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'wesaid_migrations'
            ORDER BY 1, 2`,
  indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> 'wesaid_migrations' ORDER BY 1, 2`,
  constraints: `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                AND conrelid::regclass::text <> 'wesaid_migrations' ORDER BY 1, 2`,
  enums: `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1`,
};

async function catalogue(setup: (runner: SqlRunner) => Promise<unknown>): Promise<Record<string, string[]>> {
  const db = new PGlite();
  const runner: SqlRunner = {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    exec: async (sql) => void (await db.exec(sql)),
  };
  try {
    await setup(runner);
    const result: Record<string, string[]> = {};
    for (const [name, sql] of Object.entries(CATALOGUE_QUERIES)) {
      result[name] = (await runner.query(sql)).map((row) => JSON.stringify(row));
    }
    return result;
  } finally {
    await db.close();
  }
}

export async function schemaSql(schemaPath = "prisma/schema.prisma"): Promise<string> {
  const diff = await runPrismaAsync(["migrate", "diff", "--from-empty", "--to-schema-datamodel", schemaPath, "--script"]);
  if (diff.status !== 0) throw new Error(`prisma migrate diff failed:\n${diff.stderr || diff.stdout}`);
  return diff.stdout as string;
}

/** The differences between the migrated database and the schema, as readable lines; empty when they agree. */
export async function migrationDrift(schemaPath = "prisma/schema.prisma"): Promise<string[]> {
  const sql = schemaSql(schemaPath); // under way while the migrations are applied
  sql.catch(() => undefined);
  const fromMigrations = await catalogue((runner) => applyMigrations(runner, loadMigrations()));
  const fromSchema = await catalogue(async (runner) => runner.exec(await sql));
  const problems: string[] = [];
  for (const kind of Object.keys(CATALOGUE_QUERIES)) {
    const a = new Set(fromMigrations[kind]);
    const b = new Set(fromSchema[kind]);
    for (const row of b) if (!a.has(row)) problems.push(`${kind} in schema.prisma but not made by the migrations: ${row}`);
    for (const row of a) if (!b.has(row)) problems.push(`${kind} made by the migrations but not in schema.prisma: ${row}`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await migrationDrift();
  if (problems.length) {
    console.error("prisma/schema.prisma and prisma/migrations disagree. Run: npm run db:migration -- <name>\n");
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`Migrations match prisma/schema.prisma (${loadMigrations().length} migration(s)).`);
}
