import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, prepareEmbeddedTemplate, type Database } from "../../src/db/database.ts";
import { isUniqueViolation } from "../../src/db/errors.ts";
import { loadMigrations } from "../../src/db/migrations.ts";
import { templateFile, templateFolder } from "../../src/db/template.ts";

/**
 * The embedded database runs in a worker thread behind a forwarding Prisma
 * adapter: what people's actions rely on (transactions, the errors callers
 * tell apart, data kept across restarts) must behave as before.
 */
describe("the embedded database in its own thread", () => {
  let dataDir: string;
  let db: Database;
  beforeAll(async () => {
    await prepareEmbeddedTemplate();
    dataDir = await mkdtemp(join(tmpdir(), "wesaid-embedded-"));
    db = await openDatabase({ dataDir: join(dataDir, "db") });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("starts a fresh data directory from the prepared template, with every migration in place", async () => {
    const template = templateFile(loadMigrations());
    expect(existsSync(template)).toBe(true);
    expect(existsSync(templateFolder(template))).toBe(true);
    expect(db.appliedMigrations).toEqual(loadMigrations().map((m) => m.name));
    const recorded = await db.prisma.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM wesaid_migrations ORDER BY name");
    expect(recorded.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
    expect(await db.ping()).toBe(true);
  });

  it("commits a transaction's writes together, and keeps none of a transaction that fails", async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.person.create({ data: { id: "kept-1", displayName: "Kept one" } });
      await tx.person.create({ data: { id: "kept-2", displayName: "Kept two" } });
    });
    const failed = db.prisma.$transaction(async (tx) => {
      await tx.person.create({ data: { id: "undone", displayName: "Undone" } });
      throw new Error("the action failed half-way");
    });
    await expect(failed).rejects.toThrow("the action failed half-way");
    const ids = (await db.prisma.person.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((p) => p.id);
    expect(ids).toEqual(["kept-1", "kept-2"]);
  });

  it("reports a duplicate as a unique violation, which callers treat as 'already there'", async () => {
    const duplicate = await db.prisma.person.create({ data: { id: "kept-1", displayName: "Again" } }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });

  it("keeps what was written across a restart, and applies nothing the second time", async () => {
    await db.close();
    db = await openDatabase({ dataDir: join(dataDir, "db") });
    expect(db.appliedMigrations).toEqual([]);
    expect(await db.prisma.person.count()).toBe(2);
  }, 60_000);

  it("says the database stopped, instead of waiting for ever, when asked after close", async () => {
    const closed = await openDatabase({ inMemory: true });
    await closed.close();
    await expect(closed.prisma.person.count()).rejects.toThrow();
    expect(await closed.ping(200)).toBe(false);
  }, 60_000);
});
