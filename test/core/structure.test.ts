import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

// The layout the issue asked for, checked: a folder per loop, each read top to
// bottom, no loop reaching into another's internals, no file too long to read.
const ROOT = resolve(import.meta.dirname, "../..");
const SRC = join(ROOT, "src");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    return statSync(path).isDirectory() ? filesUnder(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** A loop is a folder under src/ with a feature.ts: its declared actions, commands and sweeps. */
const LOOPS = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory() && readdirSync(join(SRC, name)).includes("feature.ts"));

function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']/g), ...source.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
}

/** The loop a path is inside, and the file within it; null outside loop folders. */
function loopOf(path: string): { loop: string; file: string } | null {
  const rel = relative(SRC, path).split("/");
  return rel.length >= 2 && LOOPS.includes(rel[0]!) ? { loop: rel[0]!, file: rel.slice(1).join("/") } : null;
}

describe("the source layout", () => {
  it("has a folder per loop, each with its declaration, its sentences and its public face", () => {
    expect(LOOPS).toEqual(expect.arrayContaining(["people", "prompts", "feedback", "tasters", "panels", "digest", "home"]));
    for (const loop of LOOPS) {
      const files = readdirSync(join(SRC, loop));
      expect(files, loop).toEqual(expect.arrayContaining(["feature.ts", "index.ts", "catalogue.ts"]));
    }
  });

  it("reaches another loop only through its index.ts (adapters and shared machinery too)", () => {
    const offences: string[] = [];
    for (const file of [...filesUnder(SRC), ...filesUnder(join(ROOT, "adapters"))]) {
      const from = loopOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".")) continue;
        const to = loopOf(resolve(dirname(file), spec));
        if (!to || to.loop === from?.loop) continue;
        if (to.file !== "index.ts") offences.push(`${relative(ROOT, file)} imports ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("keeps every source file under about 400 lines, or says at its top why not", () => {
    const long = filesUnder(SRC)
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, "utf8").split("\n") }))
      .filter(({ lines }) => lines.length > 400 && !lines.slice(0, 8).some((l) => /longer than 400 lines because/i.test(l)))
      .map(({ file, lines }) => `${file}: ${lines.length} lines`);
    expect(long).toEqual([]);
  });

  it("would notice a loop reaching into another (the check itself works)", () => {
    const fake = join(SRC, LOOPS[0] ?? "people", "feature.ts");
    const other = LOOPS.find((l) => l !== LOOPS[0]) ?? "feedback";
    const to = loopOf(resolve(dirname(fake), `../${other}/rules.ts`));
    expect(to).toEqual({ loop: other, file: "rules.ts" });
    expect(loopOf(resolve(dirname(fake), `../${other}/index.ts`))?.file).toBe("index.ts");
  });
});
