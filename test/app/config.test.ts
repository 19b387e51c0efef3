import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAdapters } from "../../adapters/index.ts";
import { seedDemo } from "../../adapters/local/seed.ts";
import { startWesaid } from "../../src/app.ts";
import { ConfigError, loadConfig, playgroundEnabled } from "../../src/config.ts";
import { silentLogger } from "../../src/context.ts";

/** The problems loadConfig names for these settings (none when it accepts them). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const SLACK = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s3cret" };
const TEAMS = { MICROSOFT_APP_ID: "00000000-0000-4000-8000-000000000001", MICROSOFT_APP_PASSWORD: "pw" };
const TENANT = "72f988bf-0000-4000-8000-0000000000aa";

describe("a platform that is half set up stops start-up, naming what is missing", () => {
  it.each([
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, "SLACK_SIGNING_SECRET"],
    [{ SLACK_SIGNING_SECRET: "s3cret" }, "SLACK_BOT_TOKEN"],
    [{ SLACK_APP_TOKEN: "xapp-1" }, "SLACK_BOT_TOKEN"],
    [{ MICROSOFT_APP_ID: TEAMS.MICROSOFT_APP_ID }, "MICROSOFT_APP_PASSWORD"],
    [{ MICROSOFT_APP_PASSWORD: "pw" }, "MICROSOFT_APP_ID"],
    [{ ...TEAMS, MICROSOFT_APP_TENANT_ID: TENANT }, "MICROSOFT_APP_TYPE"],
    [{ ...TEAMS, MICROSOFT_APP_TYPE: "MultiTenant", MICROSOFT_APP_TENANT_ID: TENANT }, "MICROSOFT_APP_TENANT_ID"],
    [{ ...TEAMS, MICROSOFT_APP_TYPE: "SingleTenant" }, "MICROSOFT_APP_TENANT_ID"],
    [{ ...TEAMS, MICROSOFT_APP_TYPE: "UserAssignedMSI" }, "MICROSOFT_APP_TENANT_ID"],
  ])("%o names %s", (env, name) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${name} `));
  });

  it("accepts each platform set up completely, and both together", () => {
    expect(problems(SLACK)).toEqual([]);
    expect(problems({ ...SLACK, SLACK_APP_TOKEN: "xapp-1" })).toEqual([]);
    expect(problems(TEAMS)).toEqual([]);
    expect(problems({ ...TEAMS, MICROSOFT_APP_TYPE: "SingleTenant", MICROSOFT_APP_TENANT_ID: TENANT })).toEqual([]);
    expect(problems({ MICROSOFT_APP_ID: TEAMS.MICROSOFT_APP_ID, MICROSOFT_APP_TYPE: "UserAssignedMSI", MICROSOFT_APP_TENANT_ID: TENANT })).toEqual([]);
    expect(problems({ ...SLACK, ...TEAMS })).toEqual([]);
    expect(loadConfig(TEAMS).MICROSOFT_APP_TYPE).toBe("MultiTenant");
  });

  it("names every problem at once, so one restart is enough to fix them", () => {
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1", MICROSOFT_APP_ID: "x", PORT: "1" })).toHaveLength(2);
  });
});

describe("the outbox's lease and first retry wait are settings", () => {
  it("keep a one-minute lease and a 30-second first retry unless set", () => {
    const config = loadConfig({});
    expect([config.OUTBOX_LEASE_SECONDS, config.OUTBOX_RETRY_SECONDS]).toEqual([60, 30]);
    expect(loadConfig({ OUTBOX_LEASE_SECONDS: "3", OUTBOX_RETRY_SECONDS: "1" })).toMatchObject({ OUTBOX_LEASE_SECONDS: 3, OUTBOX_RETRY_SECONDS: 1 });
  });

  it("refuse a lease too short to be renewed in time, naming the setting", () => {
    expect(problems({ OUTBOX_LEASE_SECONDS: "1" }).join(" ")).toContain("OUTBOX_LEASE_SECONDS");
    expect(problems({ OUTBOX_RETRY_SECONDS: "soon" }).join(" ")).toContain("OUTBOX_RETRY_SECONDS");
  });
});

describe("the playground never runs beside a real platform", () => {
  it("is on with no platform, and off as soon as Slack or Teams is configured", () => {
    expect(playgroundEnabled(loadConfig({}))).toBe(true);
    expect(playgroundEnabled(loadConfig(SLACK))).toBe(false);
    expect(playgroundEnabled(loadConfig(TEAMS))).toBe(false);
    expect(playgroundEnabled(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: "1" }))).toBe(false);
  });

  it.each([SLACK, TEAMS, { TEAMS_ALLOW_UNAUTHENTICATED: "1" }])("refuses PLAYGROUND=1 beside %o, saying it needs its own DATA_DIR", (platform) => {
    const found = problems({ ...platform, PLAYGROUND: "1" });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^PLAYGROUND=1 cannot run beside (Slack|Teams)/);
    expect(found[0]).toContain("its own DATA_DIR");
  });

  it("a refused start leaves DATA_DIR uncreated and the port unbound", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "wesaid-config-")), "data");
    const start = startWesaid({ env: { ...SLACK, PLAYGROUND: "1", DATA_DIR: dataDir, PORT: "0" }, log: silentLogger, buildAdapters });
    await expect(start).rejects.toThrow(/PLAYGROUND=1 cannot run beside Slack/);
    await expect(startWesaid({ env: { SLACK_BOT_TOKEN: "xoxb-1", DATA_DIR: dataDir, PORT: "0" }, log: silentLogger, buildAdapters })).rejects.toThrow(/SLACK_SIGNING_SECRET is missing/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("npm run demo refuses to put its made-up people into a database that Slack or Teams uses", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "wesaid-config-")), "data");
    await expect(seedDemo({ env: { ...SLACK, DATA_DIR: dataDir, PORT: "0" } })).rejects.toThrow(/the demo is for the playground/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("the playground listens on 127.0.0.1 unless HOST says otherwise, and its start-up line says who can reach it", async () => {
    expect(loadConfig({}).HOST).toBe("127.0.0.1");
    const lines: string[] = [];
    const log = { info: (msg: string) => void lines.push(msg), warn: () => {}, error: () => {} };
    const app = await startWesaid({ env: { PORT: "0", SCHEDULER: "off", DATA_DIR: mkdtempSync(join(tmpdir(), "wesaid-config-")) }, log, buildAdapters });
    try {
      expect(app.http.server.address()).toMatchObject({ address: "127.0.0.1" });
      const line = lines.find((l) => l.startsWith("switched on: the playground"));
      expect(line).toContain(`Open http://127.0.0.1:${app.http.port}/`);
      expect(line).toContain("only this computer can reach it (HOST=127.0.0.1)");
    } finally {
      await app.stop();
    }
  }, 120_000);
});
