#!/usr/bin/env node
// Runs the Prisma CLI offline. Prisma checks for Rust engines it does not use
// with the client engine and the JavaScript schema engine; pointing those
// checks at a placeholder file stops it from trying to download them.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const placeholderDir = join(tmpdir(), "wesaid-prisma");
const placeholder = join(placeholderDir, "no-engine");
if (!existsSync(placeholder)) {
  mkdirSync(placeholderDir, { recursive: true });
  writeFileSync(placeholder, "");
}

const cli = join("node_modules", "prisma", "build", "index.js");
const offline = () => ({
  ...process.env,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
  PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
  PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
});

export function runPrisma(args, options = {}) {
  return spawnSync(process.execPath, [cli, ...args], { stdio: options.capture ? ["ignore", "pipe", "pipe"] : "inherit", encoding: "utf8", env: offline() });
}

/**
 * runPrisma with its output captured, without blocking: a `migrate diff` spends most of its ~25 s waiting (the
 * embedded database's 10 s statistics timer keeps the CLI alive after it has answered), so two can run at once.
 */
export function runPrismaAsync(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"], env: offline() });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = runPrisma(process.argv.slice(2));
  process.exit(result.status ?? 1);
}
