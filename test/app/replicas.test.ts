import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PayloadCodec } from "../../adapters/slack/codec.ts";
import { createAdapterState } from "../../src/adapter-state.ts";
import type { CoreContext } from "../../src/context.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";

/**
 * Two replicas behind one port: a Slack button drawn by one may be pressed on
 * the other. A button value too long for Slack is kept in the database, so
 * any replica (and a restarted one) can read it back.
 */
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ inMemory: true });
}, 120_000);
afterAll(() => database?.close());

const shared = () => createAdapterState({ db: database.prisma } as CoreContext, "slack");
// A suggestion too long to fit a button value even compressed.
const longCall = () => ({ action: "feedback.suggest", args: { text: randomBytes(2900).toString("base64"), programmeId: "p1" } });

describe("a long Slack button value", () => {
  it("drawn on one replica works when pressed on another, and after a restart", async () => {
    const now = () => 1_000_000;
    const drawing = new PayloadCodec(now, shared());
    const call = longCall();
    const value = drawing.encodeCall(call);
    expect(value.startsWith("m")).toBe(true);
    await drawing.settled();

    const other = new PayloadCodec(now, shared());
    expect(other.decodeCall(value)).toBeNull();
    await other.prepare(value);
    expect(other.decodeCall(value)).toEqual(call);

    // Without the database (the old, in-memory way) the other replica could not read it.
    const memoryOnly = new PayloadCodec(now);
    await memoryOnly.prepare(value);
    expect(memoryOnly.decodeCall(value)).toBeNull();
  });

  it("still expires after a day, wherever it is read", async () => {
    let time = 5_000_000;
    const drawing = new PayloadCodec(() => time, shared());
    const value = drawing.encodeCall(longCall());
    await drawing.settled();
    time += 24 * 60 * 60 * 1000 + 1;
    const later = new PayloadCodec(() => time, shared());
    await later.prepare(value);
    expect(later.decodeCall(value)).toBeNull();
  });

  it("a made-up key reads nothing and touches no other state", async () => {
    const codec = new PayloadCodec(Date.now, shared());
    for (const value of ["m../../etc", "mAAAAAAAAAAAAAAAA", "m", "m" + "x".repeat(40)]) {
      await codec.prepare(value);
      expect(codec.decodeCall(value)).toBeNull();
    }
  });
});
