/**
 * A prepared data directory: an empty embedded database with every migration
 * applied, kept as PGlite's gzipped tarball. A fresh database starts from it
 * instead of running PostgreSQL's initdb and every migration (about 4 s of
 * CPU down to under 1). It is made once, by `npm run build` or by the first
 * fresh start, and is named after PGlite's version and the migrations it
 * holds, so a new migration or PGlite makes a new one.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";
import type { Migration } from "./migrations.ts";

/** PGlite's folder in node_modules; the template lives beside it, in node_modules/.cache (where build tools keep caches). */
function pgliteRoot(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const marker = `${sep}node_modules${sep}@electric-sql${sep}pglite${sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
}

export function templateFile(migrations: Migration[]): string {
  const root = pgliteRoot();
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
  const key = createHash("sha256")
    .update(`pglite ${version}\n`)
    .update(migrations.map((m) => `${m.name} ${m.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  return join(dirname(dirname(root)), ".cache", "wesaid", `db-template-${key}.tar.gz`);
}

export function templateExists(file: string): boolean {
  return existsSync(file);
}

/** Saves a tarball as the template, whole or not at all (two starts at once may both try). Best effort: a folder it may not write is fine. */
export function saveTemplate(file: string, tarball: Uint8Array): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    writeFileSync(partial, tarball);
    renameSync(partial, file);
    return true;
  } catch {
    return false;
  }
}
