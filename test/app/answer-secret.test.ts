import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerSecret, databaseOptions, SECRET_FILE } from "../../src/answer-secret.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";

const tempDir = () => mkdtempSync(join(tmpdir(), "wesaid-secret-"));

describe("the secret behind anonymous answers' keys lives outside the database", () => {
  it("is made once in DATA_DIR, readable by wesaid's user only, beside the embedded database's folder, not inside it", () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir });
    const first = answerSecret(config);
    expect(first).toMatchObject({ source: "file", file: join(dir, SECRET_FILE) });
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    // The same secret on the next start, so people can still find their answers.
    expect(answerSecret(config).secret).toBe(first.secret);
    const db = databaseOptions(config);
    expect(db).toEqual({ dataDir: join(dir, "db") });
    expect(join(dir, SECRET_FILE).startsWith((db as { dataDir: string }).dataDir)).toBe(false);
  });

  it("comes from WESAID_ANSWER_SECRET when set (the same on every instance), and then no file is made", () => {
    const dir = tempDir();
    const secret = "a".repeat(64);
    expect(answerSecret(loadConfig({ DATA_DIR: dir, WESAID_ANSWER_SECRET: secret }))).toEqual({ secret, source: "environment" });
    expect(existsSync(join(dir, SECRET_FILE))).toBe(false);
    expect(() => loadConfig({ WESAID_ANSWER_SECRET: "too-short" })).toThrow(ConfigError);
    expect(() => loadConfig({ WESAID_ANSWER_SECRET: "too-short" })).toThrow(/at least 32 characters/);
  });

  it("tightens a secret file left readable by others, and refuses one that holds no secret", () => {
    const dir = tempDir();
    writeFileSync(join(dir, SECRET_FILE), "b".repeat(64), { mode: 0o644 });
    expect(answerSecret(loadConfig({ DATA_DIR: dir })).secret).toBe("b".repeat(64));
    expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, SECRET_FILE), "\n");
    expect(() => answerSecret(loadConfig({ DATA_DIR: dir }))).toThrow(/does not hold an answer secret/);
  });

  it("keeps an older install's database where it is (DATA_DIR itself), and uses PostgreSQL when DATABASE_URL is set", () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "PG_VERSION"), "17\n");
    expect(databaseOptions(loadConfig({ DATA_DIR: dir }))).toEqual({ dataDir: dir });
    expect(databaseOptions(loadConfig({ DATABASE_URL: "postgresql://x@127.0.0.1/y" }))).toEqual({ databaseUrl: "postgresql://x@127.0.0.1/y" });
    expect(readFileSync(join(dir, "PG_VERSION"), "utf8")).toBe("17\n");
  });
});
