import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, findButton, findForm, type TestPerson } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import type { Interaction, Reply } from "../../src/interactions.ts";
import type { Message } from "../../src/messages/model.ts";
import { createSeriesFromTemplate } from "../../src/prompts/index.ts";
import { createTaster } from "../../src/tasters/index.ts";
import { createPanel } from "../../src/panels/index.ts";
import { buildDigest } from "../../src/digest/index.ts";

/**
 * Statements per action (issue 12): each main action run once through core.handle, with Prisma's
 * query events counted for the action itself (until its reply) and for sending what it queued.
 * The table is printed; the bounds fail the test when an action starts repeating reads again.
 */
type Row = { action: string; statements: number; transactions: number; inbox: number; sending: number };

/**
 * Upper bounds: the figures measured on 2026-11-30 after the durable inbox (bench/RESULTS.md, "Statements
 * per action"), with room for one or two more: PostgreSQL and PGlite differ, and a send that starts while
 * the action runs may fall on either side of the line. Every interaction now costs 9
 * statements of inbox bookkeeping (6 naming its tables: store, claim, read, claim the event, finish, delete; and transactions),
 * counted here and bounded on their own; "sending" includes the outbox's own look for due rows.
 */
const BOUNDS: Record<string, { statements: number; sending: number }> = {
  "help (a member)": { statements: 12, sending: 2 },
  // A stranger is one read now (the person with their zone fields), not three (person, accounts, memberships).
  "help (a stranger)": { statements: 10, sending: 2 },
  // The zone the platform reports comes with the actor's own read (src/people/identities.ts): no read of its own
  // (13 before), nothing written when it has not changed.
  "help (a member, zone reported)": { statements: 12, sending: 2 },
  suggest: { statements: 24, sending: 8 },
  "react to a 'we did'": { statements: 19, sending: 3 },
  "answer a prompt": { statements: 27, sending: 3 },
  "sign up to a taster": { statements: 35, sending: 13 },
  debrief: { statements: 23, sending: 3 },
  // One more for the theme codes counted by code and role (src/coding/reads.ts codeCounts).
  "digest build": { statements: 53, sending: 2 },
  // One more for the induction's newcomers, found in one statement (src/induction/newcomers.ts).
  // One more for the learning sets' planning sweep (src/panels/set-sweeps.ts): one indexed read when nothing is due.
  // One more for the learning sets' offer expiry sweep (src/panels/set-offers.ts): one indexed read when nothing is due.
  "sweep tick (nothing due)": { statements: 29, sending: 2 },
};
/** The inbox's own statements per interaction: those naming its tables. */
const INBOX_NAMED_BOUND = 6;
const isInbox = (sql: string) => /"(InboxItem|ProcessedEvent)"/.test(sql);

const isCommit = (sql: string) => /COMMIT/i.test(sql);

describe.each(backends())("statements per action on %s", (backend) => {
  let world: World;
  const rows: Row[] = [];
  beforeAll(async () => {
    world = await World.open(backend, {}, { observeQueries: true });
  });
  afterAll(async () => {
    console.log(`\nStatements per action on ${backend}\n` + table(rows));
    await world.close();
  });

  async function measure(action: string, run: () => Promise<Reply | unknown>): Promise<Reply | unknown> {
    await world.core.flush();
    const seen: string[] = [];
    const stop = world.db.onQuery((sql) => seen.push(sql));
    const result = await run();
    const acted = seen.length;
    if (process.env.STATEMENTS_DUMP === action) console.log(seen.join("\n---\n"));
    await world.core.flush();
    stop();
    const row = { action, statements: acted, transactions: seen.slice(0, acted).filter(isCommit).length, inbox: seen.slice(0, acted).filter(isInbox).length, sending: seen.length - acted };
    rows.push(row);
    if (result && typeof result === "object" && "error" in result) expect((result as Reply).error, action).toBeUndefined();
    return result;
  }

  function handle(person: TestPerson, input: Interaction["input"], where: "direct" | "channel" = "direct"): Promise<Reply> {
    const place = where === "channel" ? ({ kind: "channel", externalId: person.channel } as const) : ({ kind: "direct" } as const);
    return world.core.handle({ platform: person.platform, user: { externalId: person.externalId }, place, input });
  }
  const command = (text: string) => ({ kind: "command" as const, text, mentions: [] });
  const press = (call: { action: string; args: Record<string, string> }, values: Record<string, string> = {}) => ({ kind: "action" as const, action: call.action, args: { ...call.args, ...values }, people: {} });

  it("measures each main action and keeps it under its bound", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ali = await world.person(programme, "Ali", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    const fac = programme.facilitator;

    await measure("help (a member)", () => handle(jo, command("help")));
    await world.core.handle({ platform: jo.platform, user: { externalId: jo.externalId, timeZone: "Europe/London" }, place: { kind: "direct" }, input: command("help") });
    await measure("help (a member, zone reported)", () =>
      world.core.handle({ platform: jo.platform, user: { externalId: jo.externalId, timeZone: "Europe/London" }, place: { kind: "direct" }, input: command("help") }),
    );
    await measure("help (a stranger)", () =>
      world.core.handle({ platform: "local", user: { externalId: "U-stranger" }, place: { kind: "direct" }, input: command("help") }),
    );

    await measure("suggest", () => handle(jo, command("suggest Hold the panel in the evening")));
    await priya.say("update #1 We have moved the panel to evenings");
    const ask = jo.inbox().find((m) => m.summary.includes("News about your idea")) ?? jo.lastMessage();
    await measure("react to a 'we did'", () => handle(jo, press(findButton(ask, "Yes").call)));

    await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 1" });
    world.clock.set("2026-03-02T10:00:00Z");
    await world.tick();
    const prompt = jo.inbox().find((m) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt"));
    const form = findForm(prompt, "prompt");
    const values = Object.fromEntries(form.inputs.map((input, i) => [input.id, ["4", "7", "Meeting other carers"][i] ?? ""]));
    await measure("answer a prompt", () => handle(jo, press(form.submit, values)));

    const taster = await createTaster(world.ctx, fac.id, {
      programmeId: programme.id,
      title: "Try co-production",
      whatToExpect: "A friendly hour.",
      audienceRoles: [],
      startsAt: new Date("2026-03-10T14:00:00Z"),
      endsAt: new Date("2026-03-10T16:00:00Z"),
      location: "The Hub",
      accessibility: "Step-free.",
      capacity: 5,
      offerHoldHours: 24,
    });
    await world.core.flush();
    await measure("sign up to a taster", () => handle(ali, press({ action: "taster.signup", args: { tasterId: taster.id } })));

    await createPanel(world.ctx, fac.id, {
      programmeId: programme.id,
      title: "Interview panel",
      purpose: "Interview the providers together.",
      startsAt: new Date("2026-03-03T10:00:00Z"),
      endsAt: new Date("2026-03-03T12:00:00Z"),
      members: [{ personId: jo.id }, { personId: ali.id }],
    });
    world.clock.set("2026-03-03T12:05:00Z");
    await world.tick();
    await world.tick();
    const debrief = findForm(jo.inbox().find((m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "panel-debrief")), "panel-debrief");
    await measure("debrief", () => handle(jo, press(debrief.submit, { wentWell: "Meeting everyone.", couldImprove: "", listenedTo: "yes", changeNextTime: "" })));

    await measure("digest build", () => buildDigest(world.prisma, world.ctx.settings, programme.id, new Date("2026-03-02T00:00:00Z")));
    await world.tick();
    await measure("sweep tick (nothing due)", () => world.tick());

    for (const row of rows) {
      const bound = BOUNDS[row.action]!;
      expect(row.statements, `${row.action}: statements`).toBeLessThanOrEqual(bound.statements);
      expect(row.sending, `${row.action}: sending`).toBeLessThanOrEqual(bound.sending);
      expect(row.inbox, `${row.action}: inbox bookkeeping`).toBeLessThanOrEqual(INBOX_NAMED_BOUND);
    }
  }, 120_000);
});

function table(rows: Row[]): string {
  const lines = ["| action | statements | of which commits | of which name the inbox's tables | sending what it queued |", "|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${r.action} | ${r.statements} | ${r.transactions} | ${r.inbox} | ${r.sending} |`);
  return lines.join("\n");
}
