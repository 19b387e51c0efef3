import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { createPanel, type PanelInput } from "../../../src/panels/index.ts";
import { debriefWindow, listenedCounts, panelSchedule } from "../../../src/panels/rules.ts";
import type { Block, Message } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const STARTS = new Date("2026-03-10T10:00:00Z");
const ENDS = new Date("2026-03-10T12:00:00Z");

function fileIn(msg: Message | undefined): Extract<Block, { kind: "file" }> | undefined {
  return msg?.blocks.find((b): b is Extract<Block, { kind: "file" }> => b.kind === "file");
}

const received = (person: TestPerson, words: string) => person.inbox().filter((m) => textOf(m).includes(words));

async function setUp(options: { prepPrompt?: string; startsAt?: Date; endsAt?: Date } = {}) {
  const programme = await world.programme();
  const jo = await world.person(programme, "Jo", "expert_by_experience");
  const priya = await world.person(programme, "Priya", "commissioner", { quotation: false });
  const sam = await world.person(programme, "Sam", "professional");
  const input: PanelInput = {
    programmeId: programme.id,
    title: "Interview panel for the new youth service",
    purpose: "Young people and commissioners interview the providers together.",
    startsAt: options.startsAt ?? STARTS,
    endsAt: options.endsAt ?? ENDS,
    members: [{ personId: jo.id }, { personId: priya.id }, { personId: sam.id }],
    prepPrompt: options.prepPrompt,
  };
  const panel = await createPanel(world.ctx, programme.facilitator.id, input);
  await world.core.flush();
  return { programme, jo, priya, sam, panel };
}

describe("panel rules", () => {
  it("schedules the prep prompt a day before (only when there is one) and the debrief at the end", () => {
    expect(panelSchedule({ startsAt: STARTS, endsAt: ENDS, prepPrompt: "Think" })).toEqual({ prepDueAt: new Date("2026-03-09T10:00:00Z"), debriefDueAt: ENDS });
    expect(panelSchedule({ startsAt: STARTS, endsAt: ENDS }).prepDueAt).toBeNull();
  });

  it("keeps the debrief open for 14 days after the end", () => {
    expect(debriefWindow(new Date("2026-03-10T11:00:00Z"), ENDS)).toBe("early");
    expect(debriefWindow(ENDS, ENDS)).toBe("open");
    expect(debriefWindow(new Date("2026-03-24T12:00:00Z"), ENDS)).toBe("open");
    expect(debriefWindow(new Date("2026-03-24T12:01:00Z"), ENDS)).toBe("closed");
    expect(listenedCounts([{ listenedTo: "yes" }, { listenedTo: "yes" }, { listenedTo: "no" }])).toEqual({ yes: 2, partly: 0, no: 1 });
  });
});

describe("setting up a panel", () => {
  it("lets an organiser set one up from the form and tells each member privately, by role only, with a calendar invite", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    const form = findForm((await programme.facilitator.say("panel new")).private, "panel-new");
    expect(form.inputs.find((i) => i.id === "members")).toMatchObject({ kind: "people", multiple: true });
    const reply = await programme.facilitator.press(
      form.submit,
      {
        title: "Interview panel",
        purpose: "Choose the new provider together.",
        startsAt: "2026-03-10 10:00",
        endsAt: "2026-03-10 12:00",
        prepPrompt: "What matters most to you in a good service?",
      },
      "direct",
      { members: [{ externalId: jo.externalId }, { externalId: priya.externalId, displayName: "Priya" }] },
    );
    expect(textOf(reply.replaceSource)).toContain("I have told the 2 people on it");
    const panel = await world.prisma.panel.findFirstOrThrow({ include: { members: true } });
    expect(panel).toMatchObject({ startsAt: STARTS, endsAt: ENDS, prepDueAt: new Date("2026-03-09T10:00:00Z"), debriefDueAt: ENDS });
    expect(panel.members.map((m) => m.role).sort()).toEqual(["commissioner", "expert_by_experience"]);

    const invite = received(jo, "You are on a panel")[0];
    expect(textOf(invite)).toContain("Choose the new provider together.");
    expect(textOf(invite)).toContain("1 Expert by experience, 1 Commissioner");
    expect(textOf(invite)).not.toContain("Priya");
    expect(fileIn(invite)).toMatchObject({ mimeType: "text/calendar" });
    expect(fileIn(invite)?.content).toContain(`UID:panel-${panel.id}@wesaid`);
    expect(received(priya, "You are on a panel")).toHaveLength(1);
  });

  it("lets commissioners set up panels but not experts, and refuses bad details without storing anything", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    const outsider = await world.person(await world.programme("Other"), "Out", "expert_by_experience");
    const base = { programmeId: programme.id, title: "Panel", startsAt: STARTS, endsAt: ENDS, members: [{ personId: jo.id }] };

    expect((await jo.say("panel new")).error?.code).toBe("not_allowed");
    const details = { title: "Panel", startsAt: "2026-03-10 10:00", endsAt: "2026-03-10 12:00" };
    expect((await jo.press({ action: "panel.create", args: { programmeId: programme.id } }, details, "direct", { members: [{ externalId: jo.externalId }] })).error?.code).toBe("not_allowed");
    const cases: [Partial<PanelInput>, string][] = [
      [{ endsAt: new Date("2026-03-10T09:00:00Z") }, "must end after it starts"],
      [{ members: [] }, "say who is on the panel"],
      [{ members: [{ personId: outsider.id }] }, "Out is not in this programme"],
      [{ members: [{ externalId: "U-nobody" }] }, "could not find U-nobody"],
      [{ title: "" }, '"Name of the panel" is needed'],
      [{ startsAt: "soon" as unknown as Date }, "like 2026-03-10 14:00"],
    ];
    for (const [extra, sentence] of cases) {
      await expect(createPanel(world.ctx, priya.id, { ...base, ...extra })).rejects.toMatchObject({ code: "invalid_input", userMessage: expect.stringContaining(sentence) });
    }
    expect(await world.prisma.panel.count()).toBe(0);
    await createPanel(world.ctx, priya.id, base);
    expect(await world.prisma.panel.count()).toBe(1);
  });

  it("lists the caller's upcoming panels for the `panel` command", async () => {
    const { jo, programme } = await setUp();
    const outsider = await world.person(programme, "Kim", "expert_by_experience");
    expect(textOf((await jo.say("panel")).private)).toContain("Interview panel for the new youth service");
    expect(textOf((await outsider.say("panels")).private)).toContain("not on any panels");
    expect(textOf((await programme.facilitator.say("panel")).private)).toContain("Panels you run");
  });
});

describe("prep prompts", () => {
  it("sends the prep prompt the day before, after quiet hours, skipping paused members, once", async () => {
    // Starts at 07:00 London time, so the prep prompt falls due at 07:00, inside the 21:00-08:00 quiet hours.
    const { jo, priya, sam, panel } = await setUp({ prepPrompt: "What matters most to you?", startsAt: new Date("2026-03-10T07:00:00Z"), endsAt: new Date("2026-03-10T09:00:00Z") });
    await sam.say("pause");
    world.clock.set("2026-03-09T07:00:00Z");
    await world.tick();
    expect(received(jo, "What matters most to you?")).toHaveLength(0);
    const row = await world.prisma.outboxMessage.findUniqueOrThrow({ where: { key: `panel:${panel.id}:prep:${jo.id}` } });
    expect(row.nextAttemptAt).toEqual(new Date("2026-03-09T08:00:00Z"));

    world.clock.set("2026-03-09T08:00:00Z");
    await world.tick();
    await world.tick();
    expect(received(jo, "What matters most to you?")).toHaveLength(1);
    expect(received(priya, "What matters most to you?")).toHaveLength(1);
    expect(received(sam, "What matters most to you?")).toHaveLength(0);
  });
});

describe("debriefs", () => {
  it("sends the debrief form when the panel ends to members who agreed to take part and are not paused, once", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ali = await world.person(programme, "Ali", "expert_by_experience", { consent: false });
    const sam = await world.person(programme, "Sam", "professional");
    const panel = await createPanel(world.ctx, programme.facilitator.id, { programmeId: programme.id, title: "Panel", startsAt: STARTS, endsAt: ENDS, members: [{ personId: jo.id }, { personId: ali.id }, { personId: sam.id }] });
    await sam.say("pause");
    world.clock.set("2026-03-10T11:59:00Z");
    await world.tick();
    expect(received(jo, ": how did it go?")).toHaveLength(0);
    world.clock.set(ENDS);
    await world.tick();
    await world.tick();
    expect(received(jo, "Did you feel listened to?")).toHaveLength(1);
    expect(received(ali, "Did you feel listened to?")).toHaveLength(0);
    expect(received(sam, "Did you feel listened to?")).toHaveLength(0);
    expect(await world.prisma.outboxMessage.count({ where: { key: `panel:${panel.id}:debrief:${jo.id}` } })).toBe(1);
  });

  it("stores one answer per member, shows it back, lets them change it for 14 days, and records their time", async () => {
    const { jo, panel } = await setUp();
    world.clock.set("2026-03-10T12:05:00Z");
    await world.tick();
    const form = findForm(received(jo, "Did you feel listened to?")[0], "panel-debrief");

    const bad = await jo.press(form.submit, { listenedTo: "sort of" });
    expect(bad.error?.code).toBe("invalid_input");
    const saved = await jo.press(form.submit, { wentWell: "Meeting everyone first.", couldImprove: "Too many questions.", listenedTo: "partly", changeNextTime: "Shorter day." });
    expect(textOf(saved.replaceSource)).toContain("Your answer is saved");
    expect(textOf(saved.replaceSource)).toContain("Did you feel listened to?: Partly");
    expect(textOf(saved.replaceSource)).toContain("What went well: Meeting everyone first.");

    world.clock.set("2026-03-20T10:00:00Z");
    const changed = await jo.press(findForm(saved.replaceSource, "panel-debrief").submit, { wentWell: "Meeting everyone first.", listenedTo: "yes" });
    expect(changed.error).toBeUndefined();
    const rows = await world.prisma.debriefResponse.findMany({ where: { panelId: panel.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ personId: jo.id, role: "expert_by_experience", listenedTo: "yes", couldImprove: "", submittedAt: new Date("2026-03-10T12:05:00Z") });
    const kinds = (await world.prisma.contribution.findMany({ where: { personId: jo.id } })).map((c) => c.kind).sort();
    expect(kinds).toEqual(["debrief", "panel"]);

    world.clock.set("2026-03-25T10:00:00Z");
    const late = await jo.press(form.submit, { listenedTo: "no" });
    expect(late.error?.code).toBe("closed");
    expect(textOf(late.private)).toContain("closed on 24 March 2026");
    expect((await world.prisma.debriefResponse.findFirstOrThrow({ where: { panelId: panel.id } })).listenedTo).toBe("yes");
  });

  it("refuses answers from non-members, before the end, and without consent", async () => {
    const { programme, jo, panel } = await setUp();
    const kim = await world.person(programme, "Kim", "expert_by_experience");
    const ali = await world.person(programme, "Ali", "expert_by_experience", { consent: false });
    await createPanel(world.ctx, programme.facilitator.id, { programmeId: programme.id, title: "Second", startsAt: STARTS, endsAt: ENDS, members: [{ personId: ali.id }] });
    const second = await world.prisma.panel.findFirstOrThrow({ where: { title: "Second" } });

    const early = await jo.press({ action: "panel.debrief", args: { panelId: panel.id, listenedTo: "yes" } });
    expect(early.error?.code).toBe("closed");
    expect(textOf(early.private)).toContain("has not finished yet");

    world.clock.set("2026-03-10T13:00:00Z");
    const notMember = await kim.press({ action: "panel.debrief", args: { panelId: panel.id, listenedTo: "yes" } });
    expect(notMember.error?.code).toBe("not_allowed");
    expect(textOf(notMember.private)).toContain("Only people who were on this panel");
    const noConsent = await ali.press({ action: "panel.debrief", args: { panelId: second.id, listenedTo: "no", wentWell: "Nothing" } });
    expect(noConsent.error?.code).toBe("no_consent");
    expect((await kim.press({ action: "panel.debrief", args: { panelId: "nope", listenedTo: "yes" } })).error?.code).toBe("not_found");
    expect(await world.prisma.debriefResponse.count()).toBe(0);
  });
});

describe("organiser summary", () => {
  it("shows counts and role-labelled words only from people who agreed to be quoted, with a button to make a 'you said' item", async () => {
    const { programme, jo, priya, sam, panel } = await setUp();
    world.clock.set("2026-03-10T12:30:00Z");
    await jo.press({ action: "panel.debrief", args: { panelId: panel.id, wentWell: "The warm-up helped everyone relax.", changeNextTime: "Keep the warm-up, and add a break.", listenedTo: "yes" } });
    await priya.press({ action: "panel.debrief", args: { panelId: panel.id, couldImprove: "More time between interviews.", listenedTo: "partly" } });

    const denied = await sam.press({ action: "panel.summary", args: { panelId: panel.id } });
    expect(denied.error?.code).toBe("not_allowed");
    expect((await sam.say("panel summary")).error?.code).toBe("not_allowed");

    const pick = (await programme.facilitator.say("panel summary")).private;
    const summary = (await programme.facilitator.press(findButton(pick, "Interview panel").call)).private;
    const words = textOf(summary);
    expect(words).toContain("2 of 3 people on the panel have answered");
    expect(words).toContain("Yes: 1. Partly: 1. No: 0.");
    // Fewer than 5 experts are on the panel, so the role is not named.
    expect(words).toContain("Said by: Someone");
    expect(words).not.toContain("Said by: Expert by experience");
    expect(words).toContain("The warm-up helped everyone relax.");
    // The commissioner did not agree to be quoted: counted, but the words are not shown.
    expect(words).not.toContain("More time between interviews.");
    expect(words).toContain("1 answer is counted above, but the words are not shown");
    for (const name of ["Jo", "Priya", "Sam"]) expect(words).not.toMatch(new RegExp(`\\b${name}\\b`));
    // The organiser turns the debrief answer into a "you said" item, which Jo is told about.
    const made = await programme.facilitator.press(findButton(summary, "you said").call);
    expect(made.error).toBeUndefined();
    const item = await world.prisma.feedbackItem.findFirstOrThrow({ where: { source: "debrief" } });
    expect(item).toMatchObject({ raisedById: jo.id, raisedByRole: "expert_by_experience" });
    expect(item.text).toBe("Keep the warm-up, and add a break.");
    expect(textOf(jo.lastMessage())).toContain("#1");
  });
});

describe("the people picker", () => {
  it("reads who is on the panel from the people chosen in the form, not from text", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const form = findForm((await programme.facilitator.say("panel new")).private, "panel-new");
    const details = { title: "Interview panel", startsAt: "2026-03-10 10:00", endsAt: "2026-03-10 12:00" };

    const asText = await programme.facilitator.press(form.submit, { ...details, members: `<@${jo.externalId}>` });
    expect(asText.error?.code).toBe("invalid_input");
    expect(textOf(asText.private)).toContain("Please say who is on the panel");
    const unknown = await programme.facilitator.press(form.submit, details, "direct", { members: [{ externalId: "U-nobody", displayName: "Nobody Known" }] });
    expect(textOf(unknown.private)).toContain("I could not find Nobody Known");
    expect(await world.prisma.panel.count()).toBe(0);

    const made = await programme.facilitator.press(form.submit, details, "direct", { members: [{ externalId: jo.externalId }] });
    expect(textOf(made.replaceSource)).toContain("I have told the 1 person on it");
    expect(received(jo, "You are on a panel")).toHaveLength(1);
  });
});

describe("a paused member", () => {
  it("gets no panel invitation and no prep prompt, and the organiser is told someone was not told", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    await pat.say("pause");
    const patBefore = pat.inbox().length;
    const form = findForm((await programme.facilitator.say("panel new")).private, "panel-new");
    const reply = await programme.facilitator.press(
      form.submit,
      { title: "Interview panel", startsAt: "2026-03-10 10:00", endsAt: "2026-03-10 12:00", prepPrompt: "What matters most to you?" },
      "direct",
      { members: [{ externalId: jo.externalId }, { externalId: pat.externalId }] },
    );
    expect(textOf(reply.replaceSource)).toContain("I have told the 1 person on it");
    expect(textOf(reply.replaceSource)).toContain("1 person has paused messages or cannot be reached");
    expect(await world.prisma.panelMember.count()).toBe(2);
    expect(received(jo, "You are on a panel")).toHaveLength(1);

    world.clock.set("2026-03-09T10:00:00Z");
    await world.tick();
    await world.tick();
    expect(received(jo, "What matters most to you?")).toHaveLength(1);
    expect(pat.inbox()).toHaveLength(patBefore);
  });

  it("is not sent the debrief form", async () => {
    const { programme, jo, panel } = await setUp();
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    await world.prisma.panelMember.create({ data: { panelId: panel.id, personId: pat.id, role: "expert_by_experience" } });
    await pat.say("pause");
    const patBefore = pat.inbox().length;
    world.clock.set(ENDS);
    await world.tick();
    await world.tick();
    expect(received(jo, "Did you feel listened to?")).toHaveLength(1);
    expect(pat.inbox()).toHaveLength(patBefore);
  });
});
