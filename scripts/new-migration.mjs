#!/usr/bin/env node
// Authors a migration offline: `npm run db:migration -- add_something`.
// Diffs the schema snapshot kept with the newest migration against
// prisma/schema.prisma and writes prisma/migrations/<timestamp>_<name>/.
import { readdirSync, mkdirSync, writeFileSync, copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { runPrisma } from "./prisma.mjs";

const MIGRATIONS = "prisma/migrations";
const SNAPSHOT = "schema.snapshot.prisma";
const name = (process.argv[2] ?? "").trim();
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Give the migration a name in lower case with underscores, e.g. npm run db:migration -- add_panel_notes");
  process.exit(2);
}

const previous = existsSync(MIGRATIONS)
  ? readdirSync(MIGRATIONS).filter((d) => /^\d{14}_/.test(d)).sort().at(-1)
  : undefined;
const from = previous ? ["--from-schema-datamodel", join(MIGRATIONS, previous, SNAPSHOT)] : ["--from-empty"];
const diff = runPrisma(["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], { capture: true });
if (diff.status !== 0) {
  console.error(diff.stderr || diff.stdout);
  process.exit(1);
}
const sql = diff.stdout.trim();
if (sql === "" || sql === "-- This is an empty migration.") {
  console.log("The schema has not changed since the last migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = join(MIGRATIONS, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), sql + "\n");
copyFileSync("prisma/schema.prisma", join(dir, SNAPSHOT));
console.log(`Wrote ${dir}/migration.sql. It is applied automatically the next time wesaid starts.`);
