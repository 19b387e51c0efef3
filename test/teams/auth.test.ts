import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTeamsAdapter } from "../../adapters/teams/index.ts";
import { keyIdOf } from "../../adapters/teams/signing-keys.ts";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { everyRowAsText } from "../support/databases.ts";
import { ActivityBuilder, FakeTeams, type TeamsUser } from "../support/fake-teams.ts";
import { RecordingLog, START } from "./harness.ts";

// Teams with authentication on, through the real CloudAdapter. The Bot Framework's
// OpenID metadata and signing keys come from the fake on 127.0.0.1 (never from
// login.botframework.com): forged and malformed tokens get 401, quickly, even when
// that service hangs, and a burst of them costs one fetch.
const APP_ID = "00000000-0000-4000-8000-00000000b0b0";
const TIMEOUT_MS = 1000;

let fake: FakeTeams;
let app: Wesaid;
let log: RecordingLog;
let build: ActivityBuilder;

const botFramework = keyPair(); // the key the fake publishes as "bf-1"
const attacker = keyPair();
const ada: TeamsUser = { id: "29:ada", aadObjectId: "aad-ada", name: "Ada", chat: "a:ada-chat" };

beforeEach(async () => {
  fake = await FakeTeams.start();
  fake.openId.keys = [{ kty: "RSA", use: "sig", kid: "bf-1", ...botFramework.jwk, endorsements: ["msteams"] }];
  log = new RecordingLog();
  app = await startWesaid({
    env: { PORT: "0", SCHEDULER: "off", LOG_LEVEL: "info", DATA_DIR: mkdtempSync(join(tmpdir(), "wesaid-teams-auth-")), MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: "not-a-real-secret" },
    clock: new ManualClock(START),
    log,
    buildAdapters: async (deps) => [
      await createTeamsAdapter(deps, { signingKeys: { metadataUrls: { channel: fake.openIdMetadataUrl, emulator: fake.openIdMetadataUrl }, timeoutMs: TIMEOUT_MS } }),
    ],
  });
  build = new ActivityBuilder(fake.serviceUrl);
  // Without wesaid's cache botbuilder would fetch keys from Microsoft itself: stop before any request could.
  expect(log.lines.map((l) => l.msg).filter((m) => m.includes("signing key cache"))).toEqual([]);
});

afterEach(async () => {
  await app.stop();
  await fake.stop();
  // A refused token is a warning at most, never a failure.
  expect(log.lines.filter((l) => l.level === "error")).toEqual([]);
});

async function post(authorization: string | undefined): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${app.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify(build.say(ada, "suggest longer opening hours")),
  });
  await res.text();
  return { status: res.status, ms: performance.now() - started };
}

async function rows(): Promise<string[]> {
  return (await everyRowAsText(app.database.prisma)).map((r) => `${r.table}: ${r.row}`).sort();
}

describe("forged and unverifiable tokens", () => {
  it("with the metadata endpoint hanging, a forged token gets 401 within the time limit, and the next one at once without another fetch", async () => {
    fake.openId.hang = true;
    const before = await rows();
    const first = await post(`Bearer ${token(attacker.privateKey, "bf-1")}`);
    expect(first.status).toBe(401);
    expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(first.ms).toBeLessThan(TIMEOUT_MS + 1500);
    const second = await post(`Bearer ${token(attacker.privateKey, "bf-1")}`);
    expect(second.status).toBe(401);
    // Within the pause after a failure: refused without waiting for the hanging service again.
    expect(second.ms).toBeLessThan(TIMEOUT_MS - 100);
    expect(fake.openId.metadataFetches).toBe(1);
    expect(await rows()).toEqual(before);
    expect(log.lines.some((l) => l.level === "warn" && l.msg.includes("signing keys"))).toBe(true);
  });

  it("50 concurrent forged tokens cause one metadata fetch and all get 401, through botbuilder's own check", async () => {
    const before = await rows();
    // Signed by the attacker but naming the Bot Framework's key: our check passes it on, botbuilder's signature check refuses it.
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(`Bearer ${token(attacker.privateKey, i % 2 === 0 ? "bf-1" : "unknown-key")}`)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(401));
    expect(fake.openId.metadataFetches).toBe(1);
    expect(fake.openId.keyFetches).toBe(1);
    expect(await rows()).toEqual(before);
    expect(fake.calls).toEqual([]);
  });

  it("a missing or malformed Authorization header gets 401, not 500, and fetches nothing", async () => {
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString("base64url");
    const payload = header({ iss: "https://api.botframework.com", aud: APP_ID });
    const malformed = [
      undefined,
      "",
      "Bearer",
      "Bearer ",
      "Basic YWRhOnNlY3JldA==",
      "Bearer not-a-token",
      "Bearer a.b",
      "Bearer x y z",
      "Bearer !!!.???.***",
      `Bearer ${header({ alg: "none", kid: "bf-1" })}.${payload}.`,
      `Bearer ${header({ alg: "HS256", kid: "bf-1" })}.${payload}.c2ln`,
      `Bearer ${header({ alg: "RS256" })}.${payload}.c2ln`,
      `Bearer ${header({ alg: "RS256", kid: "bf-1" })}.bm90IGpzb24.c2ln`,
      `Bearer ${"A".repeat(12_000)}.${payload}.c2ln`,
      "Bearer %00.%00.%00",
    ];
    for (const authorization of malformed) {
      const { status } = await post(authorization);
      expect(status, String(authorization).slice(0, 60)).toBe(401);
    }
    expect(fake.openId.metadataFetches).toBe(0);
  });
});

describe("genuine tokens still pass", () => {
  it("botbuilder, reading wesaid's key cache, accepts a token signed with the key the Bot Framework publishes and refuses one signed by anyone else", async () => {
    const connector = createRequire(createRequire(import.meta.url).resolve("botbuilder"))("botframework-connector") as typeof import("botframework-connector");
    const { JwtTokenExtractor } = createRequire(createRequire(import.meta.url).resolve("botbuilder"))("botframework-connector/lib/auth/jwtTokenExtractor.js");
    const extractor = new JwtTokenExtractor(
      connector.ChannelValidation.ToBotFromChannelTokenValidationParameters,
      connector.AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      connector.AuthenticationConstants.AllowedSigningAlgorithms,
    );
    const identity = await extractor.getIdentityFromAuthHeader(`Bearer ${token(botFramework.privateKey, "bf-1")}`, "msteams");
    expect(identity?.getClaimValue("aud")).toBe(APP_ID);
    await expect(extractor.getIdentityFromAuthHeader(`Bearer ${token(attacker.privateKey, "bf-1")}`, "msteams")).rejects.toThrow();
    expect(fake.openId.metadataFetches).toBe(1);
    expect(keyIdOf(`Bearer ${token(botFramework.privateKey, "bf-1")}`)).toBe("bf-1");
  });
});

// ------------------------------------------------------------------ tokens

function keyPair(): { privateKey: KeyObject; jwk: { n: string; e: string } } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  return { privateKey, jwk: { n: jwk.n, e: jwk.e } };
}

/** An RS256 token as the Bot Framework issues them, signed with `key`. */
function token(key: KeyObject, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${part({ alg: "RS256", typ: "JWT", kid })}.${part({ iss: "https://api.botframework.com", aud: APP_ID, serviceurl: fake.serviceUrl, nbf: now - 60, exp: now + 3600 })}`;
  return `${unsigned}.${sign("sha256", Buffer.from(unsigned), key).toString("base64url")}`;
}
