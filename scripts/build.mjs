#!/usr/bin/env node
// `npm run build`: compiles src/ and adapters/ to plain JavaScript in dist/
// (TypeScript's own compiler, type-checked, .ts imports rewritten to .js),
// and copies the files the compiled code reads at run time: the migrations,
// the embedded database's worker and the playground's page. Then it prepares
// the embedded database's template (src/db/template.ts), so a first start
// skips initdb and the migrations. `--if-needed` (what `npm start` runs first)
// builds only when a source file is newer than the last build.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const stamp = join(root, "dist", ".built");
const SOURCES = ["src", "adapters", "prisma", "package.json", "tsconfig.json", "tsconfig.build.json"];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const ifNeeded = process.argv.includes("--if-needed");
if (ifNeeded && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (SOURCES.every((s) => !existsSync(join(root, s)) || newest(join(root, s)) <= built)) process.exit(0);
}
if (ifNeeded) console.log("Building wesaid (dist/) first: this takes a minute, once.");

const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
if (!existsSync(tsc)) {
  console.error("TypeScript is not installed, so wesaid cannot be built. Run npm install (with dev dependencies), then npm run build.");
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);

cpSync(join(root, "prisma", "migrations"), join(root, "dist", "prisma", "migrations"), { recursive: true });
cpSync(join(root, "adapters", "local", "public"), join(root, "dist", "adapters", "local", "public"), { recursive: true });
cpSync(join(root, "src", "db", "embedded-worker.mjs"), join(root, "dist", "src", "db", "embedded-worker.mjs"));
mkdirSync(join(root, "dist"), { recursive: true });
try {
  const { prepareEmbeddedTemplate } = await import(pathToFileURL(join(root, "dist", "src", "db", "database.js")).href);
  await prepareEmbeddedTemplate();
} catch (error) {
  console.warn(`The embedded database's template could not be prepared (${error}); the first start will make it.`);
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
