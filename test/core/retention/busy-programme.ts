import { expect } from "vitest";
import { findButton, findForm, textOf, type TestPerson, type World } from "../../support/world.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import { createCoOwnedAction, postUpdate } from "../../../src/feedback/index.ts";
import { createTaster } from "../../../src/tasters/index.ts";
import { createPanel } from "../../../src/panels/index.ts";
import type { Message } from "../../../src/messages/model.ts";
import { DAY } from "../../../src/clock.ts";

/**
 * A programme where a participant (Jo) has done everything wesaid stores:
 * answered questions (named and anonymous), raised an idea, reacted to a
 * "we did", co-owns an action, signed up to a taster, given a debrief, and
 * been counted in a weekly digest. Every sentence Jo wrote carries `tag`.
 * Starts on `monday` (9am, the World clock's start by default) and ends on the
 * Tuesday after (a taster ending at 4pm).
 */
export type Busy = Awaited<ReturnType<typeof busyProgramme>>;

const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");

export async function busyProgramme(world: World, name: string, tag: string, monday = "2026-03-02") {
  const base = Date.parse(`${monday}T00:00:00Z`);
  const at = (days: number, time: string) => new Date(base + days * DAY + Date.parse(`1970-01-01T${time}Z`));
  world.clock.set(at(0, "09:00:00"));
  const programme = await world.programme(name);
  const jo = await world.person(programme, `Jo${tag}`, "expert_by_experience");
  const priya = await world.person(programme, `Priya${tag}`, "commissioner");
  const eve = await world.person(programme, `Eve${tag}`, "evaluator");
  const fac = programme.facilitator;

  const named = await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", anonymous: false, title: `Named ${tag}` });
  const anonymous = await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", anonymous: true, title: `Anonymous ${tag}` });
  world.clock.set(at(0, "10:00:00"));
  await world.tick();
  const words = `Jo wrote this about the bus ${tag}`;
  for (const title of [named.title, anonymous.title]) {
    const msg = jo.inbox().filter((m) => isPrompt(m) && m.summary.startsWith(title)).at(-1);
    const form = findForm(msg, "prompt");
    const values = Object.fromEntries(form.inputs.map((input) => [input.id, input.kind === "scale" ? "7" : `${words} in ${title}`]));
    expect((await jo.press(form.submit, values)).error).toBeUndefined();
  }

  const idea = `More evening sessions please ${tag}`;
  expect((await jo.say(`suggest ${idea}`, "channel")).error).toBeUndefined();
  await postUpdate(world.ctx, priya.id, { programmeId: programme.id, authorRole: "commissioner", text: `We added evening sessions ${tag}`, itemNumbers: [1] });
  await world.core.flush();
  const asked = jo.inbox().find((m) => textOf(m).includes("Yes, it answers what I said"));
  expect((await jo.press(findButton(asked, "Yes, it answers what I said").call)).error).toBeUndefined();
  await createCoOwnedAction(world.ctx, priya.id, { programmeId: programme.id, title: `Run a workshop ${tag}`, ownerIds: [priya.id, jo.id], itemNumber: 1 });

  const taster = await createTaster(world.ctx, fac.id, {
    programmeId: programme.id,
    title: `Drawing together ${tag}`,
    whatToExpect: "We draw and talk.",
    audienceRoles: [],
    startsAt: at(8, "14:00:00"),
    endsAt: at(8, "16:00:00"),
    location: "The Hub",
    accessibility: "",
    capacity: 5,
    offerHoldHours: 24,
  });
  expect((await jo.press({ action: "taster.signup", args: { tasterId: taster.id } })).error).toBeUndefined();

  const panel = await createPanel(world.ctx, fac.id, {
    programmeId: programme.id,
    title: `Interview panel ${tag}`,
    startsAt: at(8, "10:00:00"),
    endsAt: at(8, "12:00:00"),
    members: [{ personId: jo.id }, { personId: priya.id }],
  });
  world.clock.set(at(8, "12:05:00"));
  await world.tick();
  const debrief = findForm(jo.inbox().find((m) => textOf(m).includes("Did you feel listened to?")), "panel-debrief");
  const debriefWords = `The panel was kind ${tag}`;
  expect((await jo.press(debrief.submit, { wentWell: debriefWords, listenedTo: "yes" })).error).toBeUndefined();

  return { programme, jo, priya, eve, fac, named, anonymous, taster, panel, words: [words, idea, debriefWords] };
}
