import { beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, loadMigrations, MigrationMismatchError, type SqlRunner } from "../../src/db/migrations.ts";
import { migrationDrift } from "../../scripts/check-migrations.ts";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function runnerFor(db: PGlite): SqlRunner {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    exec: async (sql) => void (await db.exec(sql)),
  };
}

/** Both drift checks start at once: each runs `prisma migrate diff` (~25 s, mostly waiting) in a process of its own. */
function started<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => (running ??= work());
}
const driftOfTheSchema = started(() => migrationDrift());
const driftOfAChangedSchema = started(() => {
  const schema = readFileSync("prisma/schema.prisma", "utf8").replace("model Setting {", "model Setting {\n  note String?");
  const path = join(mkdtempSync(join(tmpdir(), "wesaid-schema-")), "schema.prisma");
  writeFileSync(path, schema);
  return migrationDrift(path);
});

describe("migrations", () => {
  beforeAll(() => {
    for (const drift of [driftOfTheSchema, driftOfAChangedSchema]) drift().catch(() => undefined);
  });

  it("agree with prisma/schema.prisma", async () => {
    expect(await driftOfTheSchema()).toEqual([]);
  }, 180_000);

  it("report a schema change that has no migration", async () => {
    const drift = await driftOfAChangedSchema();
    expect(drift.join("\n")).toContain('"column_name":"note"');
  }, 180_000);

  it("apply once: a second start applies nothing", async () => {
    const db = new PGlite();
    const runner = runnerFor(db);
    expect(await applyMigrations(runner)).toEqual(loadMigrations().map((m) => m.name));
    expect(await applyMigrations(runner)).toEqual([]);
    await db.close();
  });

  it("refuse to start when an applied migration was edited afterwards", async () => {
    const db = new PGlite();
    const runner = runnerFor(db);
    const migrations = loadMigrations();
    await applyMigrations(runner, migrations);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: "changed" } : m));
    await expect(applyMigrations(runner, edited)).rejects.toBeInstanceOf(MigrationMismatchError);
    await db.close();
  });

  it("roll back a migration that fails, leaving no half-applied state", async () => {
    const db = new PGlite();
    const runner = runnerFor(db);
    const broken = [{ name: "20990101000000_broken", sql: 'CREATE TABLE "Half" (id int); SELECT no_such_function();', checksum: "x" }];
    await expect(applyMigrations(runner, broken)).rejects.toThrow();
    await db.exec("ROLLBACK").catch(() => undefined);
    const tables = await runner.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'Half'");
    expect(tables[0]?.n).toBe(0);
    expect(await runner.query("SELECT * FROM wesaid_migrations")).toEqual([]);
    await db.close();
  });
});
