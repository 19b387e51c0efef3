import type { CoreContext } from "../context.ts";
import { consentState } from "../access.ts";
import { DAY, HOUR } from "../clock.ts";
import { postUpdate, suggest } from "../feedback/index.ts";
import type { Platform } from "../messenger.ts";
import { ensureIdentity, joinProgramme, recordConsent, setupProgramme } from "../people/index.ts";
import { createPanel } from "../panels/index.ts";
import { createSeriesFromTemplate } from "../prompts/index.ts";
import type { Role } from "../roles.ts";
import { createTaster } from "../tasters/index.ts";
import { sweepInduction } from "../induction/index.ts";
import { generateProgramme } from "./synthetic.ts";

/**
 * The demo programme, seeded through the loops' own functions as a facilitator
 * would with buttons and commands. The playground (`npm run demo`, "Load the
 * demo") calls it with its own people and channel.
 */

export type DemoResult = { created: boolean; programmeId: string; programmeName: string; message: string };

/** Who the demo is played by: the people you can switch between (one per role) and the channel it lives in. */
export type DemoCast = {
  platform: Platform;
  channel: { externalId: string; name: string };
  /** Needs a facilitator; ideas and the panel use the first person of each role named below. They were there from the start. */
  players: readonly { externalId: string; displayName: string; role: Role }[];
  /** Someone who joined yesterday, after things had happened: their introduction for late joiners is under way. */
  lateJoiner?: { externalId: string; displayName: string; role: Role };
};

export const DEMO_PROGRAMME = {
  name: "Young people's mental health (demo)",
  description:
    "A pretend programme for trying wesaid. Young people, carers, staff and commissioners are reshaping local mental health support together.",
};

const TZ = "Europe/London";

/** The size of the demo's made-up history: small enough to load in seconds (no erasures: each takes a few). */
export const DEMO_HISTORY = { people: 40, weeks: 8, seed: 1, erase: false };

/** People in the demo you cannot switch to: they make the programme feel real, and groups big enough to report on. */
export const SAMPLE_PEOPLE: readonly { externalId: string; displayName: string; role: Role }[] = [
  { externalId: "sample-ayesha", displayName: "Ayesha (carer)", role: "expert_by_experience" },
  { externalId: "sample-tom", displayName: "Tom (young person)", role: "expert_by_experience" },
  { externalId: "sample-grace", displayName: "Grace (parent)", role: "expert_by_experience" },
  { externalId: "sample-kofi", displayName: "Kofi (young person)", role: "expert_by_experience" },
  { externalId: "sample-dr-lee", displayName: "Dr Lee (GP)", role: "professional" },
  { externalId: "sample-beth", displayName: "Beth (youth worker)", role: "professional" },
];

/** A demo person: a player by role, or a sample person by id. */
type Who = { player: Role } | { sample: string };

/** Open ideas, each raised by someone, so a commissioner can answer one straight away. */
const DEMO_IDEAS: readonly { by: Who; text: string }[] = [
  { by: { player: "expert_by_experience" }, text: "Hold some meetings online, for people who cannot travel or are not well enough to come in." },
  { by: { sample: "sample-ayesha" }, text: "Open the drop-in after school and at weekends, not only in the daytime." },
  { by: { player: "professional" }, text: "Send meeting papers a week before, in plain English, with the hard words explained." },
];

const DEMO_TASTER = {
  title: "Art for wellbeing: a taster session",
  whatToExpect:
    "A relaxed two hours with an artist. You will try painting and collage. No art skills needed. You can just watch if you prefer. Tea and biscuits provided.",
  location: "The Hub, 12 Market Street (ground floor)",
  accessibility: "Step-free. Hearing loop. Quiet room. We pay travel costs.",
  capacity: 2,
};

const DEMO_PANEL = {
  title: "Choosing the new drop-in provider: interview panel",
  purpose:
    "Young people and commissioners interview the organisations that want to run the new drop-in, together. We start with a round of introductions so everyone can meet first.",
  prepPrompt: "What would make a drop-in feel welcoming to you? Think of one question you would like to ask the organisations.",
  members: [{ player: "commissioner" }, { player: "expert_by_experience" }, { sample: "sample-tom" }, { sample: "sample-kofi" }] satisfies Who[],
};

/** The "we did" the commissioner posted the day the late joiner came, about an idea from the made-up history. */
const DEMO_WE_DID = {
  idea: "Pay travel costs on the day, not weeks later.",
  text: "We now pay travel costs on the day you come, in cash or straight into your bank.",
};

/** Hour and weekday of a moment in UK time. */
function ukParts(date: Date): { hour: number; weekday: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "numeric", hourCycle: "h23", weekday: "short" }).formatToParts(date);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  return {
    hour: Number(parts.find((p) => p.type === "hour")?.value ?? 0),
    weekday: days.indexOf(parts.find((p) => p.type === "weekday")?.value ?? "Mon"),
  };
}

/**
 * A weekly time for the demo's questions that falls within the next day and
 * in the daytime (so quiet hours do not hold it back): pressing "Skip ahead
 * 1 day" always brings the first set.
 */
export function firstPromptCron(now: Date): string {
  for (let hoursAhead = 2; hoursAhead <= 24; hoursAhead++) {
    const at = new Date(now.getTime() + hoursAhead * HOUR);
    const { hour, weekday } = ukParts(at);
    if (hour >= 10 && hour <= 17) return `0 ${hour} * * ${weekday}`;
  }
  return "0 10 * * 1";
}

/** `days` days on, at `hour` o'clock UK time. */
function daysOnAt(now: Date, days: number, hour: number): Date {
  const later = new Date(now.getTime() + days * DAY);
  const start = new Date(later.getTime() + (hour - ukParts(later).hour) * HOUR);
  start.setUTCMinutes(0, 0, 0);
  return start;
}

/**
 * Seeds the demo programme. Safe to run twice: each step looks for what an
 * earlier run made before making it.
 */
export async function loadDemo(ctx: CoreContext, cast: DemoCast): Promise<DemoResult> {
  const now = ctx.clock.now();
  const people = new Map<string, { id: string; role: Role }>();
  for (const person of [...cast.players, ...SAMPLE_PEOPLE]) {
    const { person: row } = await ensureIdentity(ctx.db, now, cast.platform, { externalId: person.externalId, displayName: person.displayName });
    people.set(person.externalId, { id: row.id, role: person.role });
  }
  const idOf = (who: Who): { id: string; role: Role } => {
    const externalId = "player" in who ? cast.players.find((p) => p.role === who.player)?.externalId : who.sample;
    const found = externalId === undefined ? undefined : people.get(externalId);
    if (!found) throw new Error(`the demo needs ${"player" in who ? `someone with the role ${who.player}` : who.sample}`);
    return found;
  };
  const facilitatorId = idOf({ player: "facilitator" }).id;

  const linked = await ctx.db.programmeChannel.findUnique({
    where: { platform_externalId: { platform: cast.platform, externalId: cast.channel.externalId } },
    include: { programme: true },
  });
  const created = !linked;
  const programme =
    linked?.programme ??
    (await setupProgramme(ctx, {
      name: DEMO_PROGRAMME.name,
      description: DEMO_PROGRAMME.description,
      facilitatorId,
      channel: { platform: cast.platform, externalId: cast.channel.externalId, name: cast.channel.name },
    }));

  for (const { id: personId, role } of people.values()) {
    await joinProgramme(ctx, { personId, programmeId: programme.id, role });
    const consent = await consentState(ctx.db, personId, programme.id);
    if (consent.participation !== true || !consent.upToDate) {
      await recordConsent(ctx, { personId, programmeId: programme.id, participation: true, quotation: true });
    }
  }

  // Weeks of made-up history before today, so the evaluator's digest has real figures and charts (not "fewer than 5 people").
  // The history moves the programme's start back to its first week; the cast was there from that start, so none
  // of them is a late joiner (the introduction is for people who joined after things happened).
  if (created) {
    const { start } = await generateProgramme(ctx, { ...DEMO_HISTORY, programmeId: programme.id, platform: cast.platform, prefix: "sample-history", storeDigests: true });
    const castIds = [...people.values()].map((p) => p.id);
    await ctx.db.membership.updateMany({ where: { programmeId: programme.id, personId: { in: castIds } }, data: { joinedAt: start } });
  }

  if (!(await ctx.db.promptSeries.findFirst({ where: { programmeId: programme.id, templateKey: "ndti_survey", stage: null } }))) {
    await createSeriesFromTemplate(ctx, facilitatorId, programme.id, "ndti_survey", { cron: firstPromptCron(now), timeZone: TZ });
  }

  for (const idea of DEMO_IDEAS) {
    const by = idOf(idea.by);
    if (await ctx.db.feedbackItem.findFirst({ where: { programmeId: programme.id, text: idea.text } })) continue;
    await suggest(ctx, { personId: by.id, programmeId: programme.id, role: by.role, text: idea.text });
  }

  if (!(await ctx.db.taster.findFirst({ where: { programmeId: programme.id, title: DEMO_TASTER.title } }))) {
    // Three days on at 2pm: time to sign up first, then see the reminder and the follow-up.
    const startsAt = daysOnAt(now, 3, 14);
    await createTaster(ctx, facilitatorId, {
      programmeId: programme.id,
      ...DEMO_TASTER,
      audienceRoles: [],
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
    });
  }

  if (!(await ctx.db.panel.findFirst({ where: { programmeId: programme.id, title: DEMO_PANEL.title } }))) {
    // Two days on at 10am: the prep note comes the day before, the debrief when it ends.
    const startsAt = daysOnAt(now, 2, 10);
    await createPanel(ctx, facilitatorId, {
      programmeId: programme.id,
      title: DEMO_PANEL.title,
      purpose: DEMO_PANEL.purpose,
      prepPrompt: DEMO_PANEL.prepPrompt,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      members: DEMO_PANEL.members.map((who) => ({ personId: idOf(who).id })),
    });
  }

  if (created && cast.lateJoiner) await joinLate(ctx, programme.id, cast, idOf({ player: "commissioner" }).id);

  return {
    created,
    programmeId: programme.id,
    programmeName: programme.name,
    message: created
      ? `The demo programme "${programme.name}" is ready. Everyone is a member and has agreed to take part. Look in #${cast.channel.name}, then skip ahead a day to see the first questions arrive.`
      : `The demo programme "${programme.name}" was already loaded. Anything missing has been added back.`,
  };
}

/** How long ago the demo's late joiner joined: a day and a bit, so their second introduction message is due now. */
export const LATE_JOINER_AGO = 26 * HOUR;

/** The demo's clock, moved back: the seed runs the loops' own functions as they ran then. */
const at = (ctx: CoreContext, then: Date): CoreContext => ({ ...ctx, clock: { now: () => then } });

/**
 * Yesterday morning the commissioner posted a "we did"; an hour later the late joiner joined, said yes to
 * taking part, and the induction sweep sent them its first message. The scheduler sends the next message on
 * its first tick (it has the "we did"), and one a day after that ("Skip ahead 1 day").
 */
async function joinLate(ctx: CoreContext, programmeId: string, cast: DemoCast, commissionerId: string): Promise<void> {
  const who = cast.lateJoiner!;
  const joined = new Date(ctx.clock.now().getTime() - LATE_JOINER_AGO);
  const open = { programmeId, status: { in: ["received", "considering", "agreed"] as ("received" | "considering" | "agreed")[] } };
  const idea =
    (await ctx.db.feedbackItem.findFirst({ where: { ...open, text: DEMO_WE_DID.idea }, orderBy: { number: "asc" } })) ??
    (await ctx.db.feedbackItem.findFirst({ where: open, orderBy: { number: "asc" } }));
  if (idea) {
    await postUpdate(at(ctx, new Date(joined.getTime() - HOUR)), commissionerId, { programmeId, authorRole: "commissioner", text: DEMO_WE_DID.text, itemNumbers: [idea.number] });
  }
  const { person } = await ensureIdentity(ctx.db, joined, cast.platform, { externalId: who.externalId, displayName: who.displayName });
  await joinProgramme(at(ctx, joined), { personId: person.id, programmeId, role: who.role });
  await recordConsent(at(ctx, joined), { personId: person.id, programmeId, participation: true, quotation: true });
  await sweepInduction(at(ctx, joined), joined);
}
