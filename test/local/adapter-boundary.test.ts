import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Adapters translate and render; what they need from storage they ask the core
// for (core.directory, core.adapterState, core.sentMessages, core.loadDemo).
// This reads every adapter file and fails on anything that reaches the database.

const ROOT = join(import.meta.dirname, "../..");

const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  { what: "the core's database handle (ctx.db)", pattern: /\bctx\s*\.\s*db\b/ },
  { what: "a Prisma client (.prisma)", pattern: /\.\s*prisma\b/ },
  { what: "an import of src/db", pattern: /(?:from\s*|import\s*\(\s*)["'][^"']*\bsrc\/db\//},
  { what: "an import of the generated Prisma client", pattern: /(?:from\s*|import\s*\(\s*)["'][^"']*\/generated\/prisma\b/ },
  { what: "a query on a database handle", pattern: /\bdb\s*\.\s*\w+\s*\.\s*(?:find\w*|create\w*|update\w*|upsert|delete\w*|count|aggregate|groupBy)\s*\(/ },
  { what: "a raw query", pattern: /\$(?:queryRaw|executeRaw|transaction)\b/ },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function breaches(text: string): string[] {
  return FORBIDDEN.filter((rule) => rule.pattern.test(text)).map((rule) => rule.what);
}

describe("adapters never touch the database", () => {
  it("finds no database access in any adapter file", () => {
    const files = sourceFiles(join(ROOT, "adapters"));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((file) => breaches(readFileSync(file, "utf8")).map((what) => `${relative(ROOT, file)}: ${what}`));
    expect(found).toEqual([]);
  });

  it("would notice each kind of access", () => {
    expect(breaches(`const row = await core.ctx.db.platformIdentity.findUnique({ where })`)).toContain("the core's database handle (ctx.db)");
    expect(breaches(`new PlaygroundStore(database.prisma, clock, log)`)).toContain("a Prisma client (.prisma)");
    expect(breaches(`import type { Db } from "../../src/db/database.ts";`)).toContain("an import of src/db");
    expect(breaches(`import type { Person } from "../../src/generated/prisma/client.ts";`)).toContain("an import of the generated Prisma client");
    expect(breaches(`await this.db.setting.upsert({ where: { key } })`)).toContain("a query on a database handle");
    expect(breaches(`await core.directory.findPerson("teams", id); core.adapterState("playground")`)).toEqual([]);
  });
});
