import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World } from "../support/world.ts";
import { cleanInput } from "../../src/hygiene.ts";

describe("input hygiene at the core's door", () => {
  it("takes NUL characters out, marks lone surrogates, keeps real text and emoji", () => {
    expect(cleanInput("a\u0000b")).toBe("ab");
    expect(cleanInput("x\uD800y")).toBe("x\uFFFDy");
    expect(cleanInput("x\uDC00")).toBe("x\uFFFD");
    expect(cleanInput("Tea ☕ and 🍪, café")).toBe("Tea ☕ and 🍪, café");
  });

  it("drops keys that reach prototypes, at any depth", () => {
    const hostile = JSON.parse('{"a":1,"__proto__":{"polluted":true},"b":{"constructor":{"prototype":{"x":1}},"c":["\\u0000ok"]}}');
    const clean = cleanInput(hostile) as Record<string, unknown>;
    expect(clean).toEqual({ a: 1, b: { c: ["ok"] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
  });
});

describe("hostile text through the core", () => {
  let world: World;
  beforeAll(async () => {
    world = await World.open();
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("stores an idea with a NUL character and a lone surrogate in it, cleaned, instead of failing", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const reply = await jo.say("suggest Quiet\u0000 room \uD800please");
    expect(reply.error).toBeUndefined();
    const item = await world.prisma.feedbackItem.findFirstOrThrow({ where: { programmeId: programme.id } });
    expect(item.text).toBe("Quiet room \uFFFDplease");
  });

  it("ignores a __proto__ key in a button's values", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const args = JSON.parse('{"text":"A ramp at the side door","__proto__":{"programmeId":"someone-elses"}}');
    const reply = await world.core.handle({ platform: "local", user: { externalId: jo.externalId }, place: { kind: "direct" }, input: { kind: "action", action: "feedback.suggest", args } });
    expect(reply.error).toBeUndefined();
    expect(await world.prisma.feedbackItem.count({ where: { programmeId: programme.id } })).toBe(1);
  });
});
