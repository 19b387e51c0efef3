import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envSchema } from "../../src/config.ts";

/** The docs an operator follows, held to the code they describe. */
const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");

/** The first column of a Markdown table under a heading, without backticks. */
function firstColumn(markdown: string, heading: string): string[] {
  const section = markdown.slice(markdown.indexOf(heading)).split(/\n## /)[0]!;
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

describe("the README", () => {
  it("documents every setting wesaid reads, and no setting it does not read", () => {
    const documented = firstColumn(read("README.md"), "## Configuration").sort();
    expect(documented).toEqual([...Object.keys(envSchema.shape), "ENV_FILE"].sort());
  });

  it("lists every npm script", () => {
    const scripts = Object.keys(JSON.parse(read("package.json")).scripts as Record<string, string>).filter((s) => !/^(pre|post)/.test(s));
    const listed = firstColumn(read("README.md"), "## All the scripts").map((c) => c.replace(/^npm (run )?/, "").split(" ")[0]);
    expect(listed.sort()).toEqual(scripts.sort());
  });
});

describe("docs/deploy.md", () => {
  const deploy = read("docs/deploy.md");

  it("names files that exist", () => {
    for (const file of ["Dockerfile", "compose.yaml", "deploy/haproxy.cfg", ".env.example", "deploy/rehearse-without-docker.sh"]) {
      expect(deploy).toContain(file);
      expect(existsSync(new URL(file, ROOT)), file).toBe(true);
    }
  });

  it("the example settings are settings wesaid or the compose file reads", () => {
    const names = [...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    // POSTGRES_PASSWORD is compose.yaml's; WESAID_ANSWER_SECRET belongs to anonymous answers.
    const known = new Set([...Object.keys(envSchema.shape), "POSTGRES_PASSWORD", "WESAID_ANSWER_SECRET"]);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(read("compose.yaml")).toContain("POSTGRES_PASSWORD");
  });

  it("the image runs compiled JavaScript as a non-root user with a health check on /healthz, and compose runs two replicas", () => {
    const dockerfile = read("Dockerfile");
    expect(dockerfile).toMatch(/^FROM node:20-slim/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(dockerfile).toContain('CMD ["node", "dist/src/main.js"]');
    expect(read("compose.yaml")).toMatch(/replicas: 2/);
    expect(read("deploy/haproxy.cfg")).toContain("option httpchk GET /healthz");
  });
});
