import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, textOf } from "../../support/world.ts";
import type { Interaction } from "../../../src/interactions.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

function inChannel(externalId: string, channel: string, input: Interaction["input"], displayName?: string) {
  return world.core.handle({ platform: "local", user: { externalId, ...(displayName ? { displayName } : {}) }, place: { kind: "channel", externalId: channel }, input });
}

describe("who may set up a programme", () => {
  it("lets only a facilitator or admin set up a second programme, and tells anyone else who can", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");

    const stranger = await inChannel("U-stranger", "C-new", { kind: "command", text: "setup Another programme" });
    expect(stranger.error?.code).toBe("not_allowed");
    expect(textOf(stranger.private)).toContain("only a facilitator or admin of a programme can set up another one");
    const member = await jo.press({ action: "programme.setup", args: { name: "Jo's programme" } }, {}, "channel");
    expect(member.error?.code).toBe("not_allowed");
    expect(await world.prisma.programme.count()).toBe(1);

    const facilitator = await inChannel(programme.facilitator.externalId, "C-new", { kind: "command", text: "setup Another programme" });
    expect(facilitator.error).toBeUndefined();
    expect(textOf(facilitator.private)).toContain("Another programme is set up in this channel");
    expect(await world.prisma.programme.count()).toBe(2);
  });
});

describe("giving someone a role", () => {
  it("takes the person from the command's mention, not from the words", async () => {
    const programme = await world.programme();
    const reply = await inChannel(programme.facilitator.externalId, programme.channel, {
      kind: "command",
      text: "role @Priya Shah commissioner",
      mentions: [{ externalId: "U-priya", displayName: "Priya Shah", shownAs: "@Priya Shah" }],
    });
    expect(reply.error).toBeUndefined();
    expect(textOf(reply.private)).toContain("Priya Shah is now Commissioner");
    const m = await world.prisma.membership.findFirstOrThrow({ where: { role: "commissioner" }, include: { person: { include: { identities: true } } } });
    expect(m.person.identities[0]?.externalId).toBe("U-priya");
    expect(m.person.displayName).toBe("Priya Shah");
  });

  it("takes the person from a form's people picker, and asks who is meant when nobody is chosen", async () => {
    const programme = await world.programme();
    const picked = await inChannel(programme.facilitator.externalId, programme.channel, {
      kind: "action",
      action: "people.assign_role",
      args: { role: "professional" },
      people: { user: [{ externalId: "U-jordan", displayName: "Jordan" }] },
    });
    expect(picked.error).toBeUndefined();
    expect(await world.prisma.membership.count({ where: { role: "professional", person: { displayName: "Jordan" } } })).toBe(1);

    const nobody = await inChannel(programme.facilitator.externalId, programme.channel, { kind: "action", action: "people.assign_role", args: { role: "professional" } });
    expect(nobody.error?.code).toBe("invalid_input");
    expect(textOf(nobody.private)).toContain("Please say who you mean");
  });
});
