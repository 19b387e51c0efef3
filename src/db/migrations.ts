import { createHash } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export type Migration = { name: string; sql: string; checksum: string };

/** The smallest SQL surface the migration runner needs, met by PGlite and pg alike. */
export type SqlRunner = {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements with no parameters. */
  exec(sql: string): Promise<void>;
};

export const MIGRATIONS_DIR = new URL("../../prisma/migrations/", import.meta.url).pathname;

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^\d{14}_[a-z0-9_]+$/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export class MigrationMismatchError extends Error {}

/**
 * Applies, in order and each in its own transaction, the migrations not yet
 * recorded in wesaid_migrations. A migration whose file changed after it was
 * applied stops start-up: the database and the code no longer agree.
 */
export async function applyMigrations(db: SqlRunner, migrations: Migration[] = loadMigrations()): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS wesaid_migrations (
    name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
  const applied = new Map(
    (await db.query<{ name: string; checksum: string }>("SELECT name, checksum FROM wesaid_migrations")).map((r) => [r.name, r.checksum]),
  );
  const newlyApplied: string[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new MigrationMismatchError(
          `Migration ${migration.name} was changed after it was applied. Add a new migration instead of editing an old one.`,
        );
      }
      continue;
    }
    await db.exec(`BEGIN;\n${migration.sql}\n;INSERT INTO wesaid_migrations (name, checksum) VALUES ('${migration.name}', '${migration.checksum}');\nCOMMIT;`);
    newlyApplied.push(migration.name);
  }
  return newlyApplied;
}
