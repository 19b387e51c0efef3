import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf } from "../../support/world.ts";
import { ensureIdentity } from "../../../src/people/index.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("joining a programme", () => {
  it("sets up a programme from a channel, lets people join, and welcomes them privately with consent choices", async () => {
    const { prisma, clock } = world;
    const { person: fac } = await ensureIdentity(prisma, clock.now(), "local", { externalId: "U-fac", displayName: "Sam" });
    const setup = await world.core.handle({
      platform: "local",
      user: { externalId: "U-fac" },
      place: { kind: "channel", externalId: "C-general", name: "general" },
      input: { kind: "command", text: "/wesaid setup Young people's mental health" },
    });
    expect(textOf(setup.private)).toContain("set up in this channel");
    await world.core.flush();
    expect(textOf(world.messenger.toChannel("C-general")[0])).toContain("Type join");
    const membership = await prisma.membership.findFirstOrThrow({ where: { personId: fac.id } });
    expect(membership.role).toBe("facilitator");

    // A carer joins from the channel: asked for a role, then welcomed privately.
    const ask = await world.core.handle({ platform: "local", user: { externalId: "U-carer", displayName: "Jo" }, place: { kind: "channel", externalId: "C-general" }, input: { kind: "command", text: "join" } });
    expect(ask.private?.blocks.some((b) => b.kind === "buttons")).toBe(true);
    const asExpert = findButton(ask.private, "Expert by experience");
    // Adapters that know a name send it with every interaction; the rows are made now, at joining (issue 11).
    await world.core.handle({ platform: "local", user: { externalId: "U-carer", displayName: "Jo" }, place: { kind: "channel", externalId: "C-general" }, input: { kind: "action", ...asExpert.call } });
    await world.core.flush();
    const welcome = world.messenger.to("U-carer")[0];
    expect(textOf(welcome)).toContain("Welcome to Young people's mental health");
    expect(textOf(welcome)).toContain("never your name");

    // Consent is recorded from the welcome form.
    const form = findForm(welcome, "consent");
    const saved = await world.core.handle({
      platform: "local",
      user: { externalId: "U-carer" },
      place: { kind: "direct" },
      input: { kind: "action", action: form.submit.action, args: { ...form.submit.args, participation: "yes", quotation: "no" } },
    });
    expect(textOf(saved.replaceSource)).toContain("will not quote");
    const consents = await prisma.consentRecord.findMany({ where: { person: { displayName: "Jo" } } });
    expect(consents.map((c) => [c.kind, c.granted]).sort()).toEqual([["participation", true], ["quotation", false]]);
  });

  it("refuses roles a person may not choose for themselves, and a second setup in the same channel", async () => {
    const programme = await world.programme();
    const reply = await world.core.handle({
      platform: "local",
      user: { externalId: "U-x" },
      place: { kind: "channel", externalId: programme.channel },
      input: { kind: "action", action: "people.join", args: { role: "commissioner" } },
    });
    expect(reply.error?.code).toBe("not_allowed");
    expect(await world.prisma.membership.count({ where: { role: "commissioner" } })).toBe(0);

    const again = await programme.facilitator.say("setup Another", "channel");
    expect(again.error?.code).toBe("conflict");
    expect(textOf(again.private)).toContain("already part of");
  });

  it("lets only facilitators give roles, and tells others politely", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const denied = await jo.say("role <@U-someone> commissioner");
    expect(denied.error?.code).toBe("not_allowed");
    expect(textOf(denied.private)).toContain("Facilitator");
    const ok = await programme.facilitator.say("role <@U-comm|Priya> commissioner");
    expect(ok.error).toBeUndefined();
    const m = await world.prisma.membership.findFirstOrThrow({ where: { role: "commissioner" }, include: { person: { include: { identities: true } } } });
    expect(m.person.identities[0]?.externalId).toBe("U-comm");
    expect(m.person.displayName).toBe("Priya");
    expect(world.messenger.to("U-comm")).toHaveLength(1);
  });

  it("shows help that lists only what the caller's role may do", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    expect(textOf((await jo.say("help")).private)).not.toContain("role @name");
    expect(textOf((await programme.facilitator.say("help")).private)).toContain("role @name");
  });

  it("answers an unknown command or malformed interaction with a clear error and changes nothing", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const reply = await jo.say("dance");
    expect(textOf(reply.private)).toContain('I do not know "dance"');
    const bad = await world.core.handle({ platform: "fax", user: {}, input: 3 });
    expect(bad.error?.code).toBe("invalid_input");
  });
});

describe("preferences, pause and privacy", () => {
  it("saves quiet hours and time zone, and rejects nonsense politely", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const prefs = await jo.say("prefs");
    const form = findForm(prefs.private, "prefs");
    const bad = await jo.press(form.submit, { timeZone: "Mars/Olympus", quietStart: "21:00", quietEnd: "08:00", reminderLimit: "1" });
    expect(bad.error?.code).toBe("invalid_input");
    expect(textOf(bad.private)).toContain("time zone");
    const badTime = await jo.press(form.submit, { timeZone: "Europe/London", quietStart: "9pm", quietEnd: "08:00", reminderLimit: "1" });
    expect(textOf(badTime.private)).toContain("24-hour clock");
    const ok = await jo.press(form.submit, { timeZone: "America/New_York", quietStart: "22:30", quietEnd: "07:00", reminderLimit: "1" });
    expect(ok.error).toBeUndefined();
    const pref = await world.prisma.preference.findUniqueOrThrow({ where: { personId: jo.id } });
    expect(pref).toMatchObject({ timeZone: "America/New_York", quietStart: 22 * 60 + 30, quietEnd: 7 * 60, reminderLimit: 1 });
  });

  it("pauses and resumes", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    expect(textOf((await jo.say("pause")).private)).toContain("paused");
    expect((await world.prisma.preference.findUniqueOrThrow({ where: { personId: jo.id } })).pausedAt).not.toBeNull();
    expect(textOf((await jo.say("pause")).private)).toContain("already paused");
    expect(textOf((await jo.say("resume")).private)).toContain("Welcome back");
  });

  it("shows a person everything stored about them, then erases it on request", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const data = await jo.say("my-data");
    const file = data.private?.blocks.find((b) => b.kind === "file");
    expect(file && file.kind === "file" && JSON.parse(file.content).person.displayName).toBe("Jo");

    const ask = await jo.say("forget-me");
    await jo.press(findButton(ask.private, "Yes, delete").call);
    // Not even a row with a placeholder name: the person is gone (test/core/people/erasure-scan.test.ts looks everywhere else).
    expect(await world.prisma.person.findUnique({ where: { id: jo.id } })).toBeNull();
    expect(await world.prisma.platformIdentity.count({ where: { personId: jo.id } })).toBe(0);
    expect(await world.prisma.consentRecord.count({ where: { personId: jo.id } })).toBe(0);
    expect(await world.prisma.membership.count({ where: { personId: jo.id } })).toBe(0);
  });
});
