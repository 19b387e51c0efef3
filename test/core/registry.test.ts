import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { World } from "../support/world.ts";
import { createCore, defaultFeatures } from "../../src/core.ts";
import { defineAction } from "../../src/registry.ts";
import { WesaidError } from "../../src/errors.ts";
import type { Feature } from "../../src/interactions.ts";
import { message, para } from "../../src/messages/model.ts";

// The registry checks everything an action declares before its handler runs.
describe("the action registry", () => {
  let world: World;
  beforeAll(async () => {
    world = await World.open();
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  const ran: { action: string; args: unknown }[] = [];
  const ok = (text: string) => ({ private: message(text, para(text)) });
  const testFeature: Feature = {
    name: "test",
    commands: [],
    actions: [
      defineAction({
        action: "test.manage",
        access: "taster.manage",
        args: z.object({ title: z.string().trim().min(1).max(20), programmeId: z.string().optional() }),
        labels: { title: "Title" },
        async run(_ctx, call) {
          ran.push({ action: "test.manage", args: call.args });
          return ok(`made ${call.args.title} in ${call.membership.programmeId}`);
        },
      }),
      defineAction({
        action: "test.say",
        access: "member",
        args: z.object({ words: z.string().min(1) }),
        storesWhatTheySay: true,
        async run(_ctx, call) {
          ran.push({ action: "test.say", args: call.args });
          return ok("stored");
        },
      }),
      defineAction({
        action: "test.about",
        access: "member",
        args: z.object({ thingId: z.string() }),
        async load(_ctx, args) {
          if (args.thingId !== "known") throw new WesaidError("not_found", "We could not find that.");
          return { programmeId: undefined, target: { name: "the known thing" } };
        },
        async run(_ctx, call) {
          ran.push({ action: "test.about", args: call.args });
          return ok(call.target.name);
        },
      }),
    ],
  };

  async function setUp() {
    ran.length = 0;
    const core = createCore(world.ctx, [...defaultFeatures(), testFeature]);
    const programme = await world.programme();
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience", { consent: false });
    const press = (who: { externalId: string }, action: string, args: Record<string, string>) =>
      core.handle({ platform: "local", user: { externalId: who.externalId }, place: { kind: "direct" }, input: { kind: "action", action, args } });
    return { programme, fac, jo, sam, press };
  }

  it("refuses to start with an action that has no declaration", () => {
    const undeclared = { name: "bad", commands: [], actions: [{ action: "bad.thing", run: async () => ({}) }] } as unknown as Feature;
    expect(() => createCore(world.ctx, [...defaultFeatures(), undeclared])).toThrow(/bad\.thing is not declared: no access .*no zod schema.*not made with defineAction/);
    const halfDeclared = { name: "bad", commands: [], actions: [{ action: "bad.thing", access: "member", invoke: async () => ({}) }] } as unknown as Feature;
    expect(() => createCore(world.ctx, [...defaultFeatures(), halfDeclared])).toThrow(/bad\.thing is not declared: no zod schema/);
    const noAccess = { name: "bad", commands: [], actions: [{ action: "bad.other", args: z.object({}), invoke: async () => ({}) }] } as unknown as Feature;
    expect(() => createCore(world.ctx, [...defaultFeatures(), noAccess])).toThrow(/bad\.other is not declared: no access/);
  });

  it("parses the arguments first, and the handler sees only what the schema kept", async () => {
    const { fac, press } = await setUp();
    const bad = await press(fac, "test.manage", { title: "" });
    expect(bad.error?.code).toBe("invalid_input");
    expect(JSON.stringify(bad.private)).toContain("Title");
    const good = await press(fac, "test.manage", { title: "  Hello  ", sneaky: "x" });
    expect(good.error).toBeUndefined();
    expect(ran).toEqual([{ action: "test.manage", args: { title: "Hello" } }]);
  });

  it("checks the capability and the programme before the handler runs", async () => {
    const { programme, jo, press } = await setUp();
    const other = await world.programme("Elsewhere");
    expect((await press(jo, "test.manage", { title: "x" })).error?.code).toBe("not_allowed");
    // A facilitator elsewhere is nobody here.
    expect((await press(other.facilitator, "test.manage", { title: "x", programmeId: programme.id })).error?.code).toBe("not_a_member");
    const outsider = { externalId: "U-nobody" };
    expect((await press(outsider, "test.say", { words: "hi" })).error?.code).toBe("not_a_member");
    expect(ran).toEqual([]);
  });

  it("asks for consent before running an action that stores what a person says", async () => {
    const { jo, sam, press } = await setUp();
    expect((await press(sam, "test.say", { words: "hi" })).error?.code).toBe("no_consent");
    expect(ran).toEqual([]);
    expect((await press(jo, "test.say", { words: "hi" })).error).toBeUndefined();
    expect(ran).toHaveLength(1);
  });

  it("loads what the action is about, and says so politely when it is not there", async () => {
    const { jo, press } = await setUp();
    const missing = await press(jo, "test.about", { thingId: "gone" });
    expect(missing.error?.code).toBe("not_found");
    expect((await press(jo, "test.about", { thingId: "known" })).private?.summary).toBe("the known thing");
    expect(ran.map((r) => r.action)).toEqual(["test.about"]);
  });
});

describe("when something breaks", () => {
  let world: World;
  beforeAll(async () => {
    world = await World.open();
  });
  afterAll(() => world.close());

  it("never tells the person that nothing was lost, and says what to do instead", async () => {
    const broken: Feature = {
      name: "broken",
      commands: [],
      actions: [defineAction({ action: "broken.thing", access: "anyone", args: z.object({}), run: async () => { throw new Error("the database went away"); } })],
    };
    const core = createCore(world.ctx, [...defaultFeatures(), broken]);
    const reply = await core.handle({ platform: "local", user: { externalId: "U-any" }, place: { kind: "direct" }, input: { kind: "action", action: "broken.thing", args: {} } });
    expect(reply.error?.code).toBe("internal");
    const words = JSON.stringify(reply.private);
    expect(words).not.toMatch(/has been lost|nothing .* lost/i);
    expect(words).toContain("may not have been saved");
    expect(words).toContain("try again");
  });
});
