import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/context.ts";
import { PortError } from "../../src/http.ts";

// Opening an embedded database takes seconds, more on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const started: Wesaid[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.stop()));
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "wesaid-app-"));
}

async function start(env: Record<string, string>) {
  const app = await startWesaid({ env: { PORT: "0", SCHEDULER: "off", LOG_LEVEL: "silent", ...env }, log: silentLogger });
  started.push(app);
  return app;
}

describe("the server", () => {
  it("reports healthy with the embedded database, with no credentials at all", async () => {
    const app = await start({ DATA_DIR: tempDir() });
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { kind: "embedded", ok: true } });
    expect((await fetch(`${app.url}/nothing-here`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("keeps what it stored across a restart of the embedded database", async () => {
    const dir = tempDir();
    const first = await start({ DATA_DIR: dir });
    await first.database.prisma.programme.create({ data: { name: "Kept" } });
    await first.stop();
    const second = await start({ DATA_DIR: dir });
    expect(second.database.appliedMigrations).toEqual([]);
    expect(await second.database.prisma.programme.count({ where: { name: "Kept" } })).toBe(1);
  });

  it.runIf(process.env.WESAID_TEST_POSTGRES_URL)("uses PostgreSQL when DATABASE_URL is set", async () => {
    const app = await start({ DATABASE_URL: process.env.WESAID_TEST_POSTGRES_URL! });
    const res = await fetch(`${app.url}/healthz`);
    expect(await res.json()).toMatchObject({ status: "ok", database: { kind: "postgres", ok: true } });
  });
});

describe("a busy port", () => {
  it("stops start-up before the database is opened or created", async () => {
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (held.address() as AddressInfo).port;
      const dataDir = join(tempDir(), "data");
      await expect(startWesaid({ env: { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "silent" }, log: silentLogger })).rejects.toThrow(PortError);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      held.close();
    }
  });
});

describe("configuration", () => {
  it("explains settings it cannot use instead of starting wrongly", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must start with postgresql/);
    expect(() => loadConfig({ MICROSOFT_APP_TYPE: "Personal" })).toThrow(/MICROSOFT_APP_TYPE/);
  });

  it("has defaults that need nothing installed", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", DATA_DIR: "./data", MIN_GROUP_SIZE: 5 });
    expect(config.DATABASE_URL).toBeUndefined();
  });
});
