/**
 * A prepared data directory: an empty embedded database with every migration
 * applied. A fresh database starts from it instead of running PostgreSQL's
 * initdb and every migration (6 CPU-seconds down to about 1). It is kept two
 * ways: PGlite's gzipped tarball (for in-memory databases, and made by the
 * first fresh start if need be), and that tarball opened once into a folder
 * (`npm run build` makes it), which a fresh data directory copies: loading the
 * tarball instead costs a second more and leaves PGlite's memory 150 MB larger.
 * Both are named after PGlite's version and the migrations they hold, so a new
 * migration or PGlite makes new ones.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

/** The folder form of a template tarball. */
export function templateFolder(file: string): string {
  return file.replace(/\.tar\.gz$/, "");
}

/** Saves a folder as the template folder, whole or not at all. */
export function saveTemplateFolder(file: string, made: string): boolean {
  try {
    renameSync(made, templateFolder(file));
    return true;
  } catch {
    rmSync(made, { recursive: true, force: true });
    return false;
  }
}

/** A place beside the template to build its folder in. */
export function partialTemplateFolder(file: string): string {
  return `${templateFolder(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
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
