import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { createSeriesFromTemplate, responseKeyFor } from "../../../src/prompts/index.ts";
import { ensureIdentity } from "../../../src/people/index.ts";
import { peopleWhoAnswered } from "../../../src/prompts/answers.ts";
import type { Message } from "../../../src/messages/model.ts";
import type { Role } from "../../../src/roles.ts";

/**
 * Participants of an anonymous series are told "Nobody can tell which answers
 * are yours". This file plays the attacker: someone holding a full copy of the
 * database (every table, the outbox, the audit log), and later the answer
 * secret too, who tries every join we could think of to match answers to people.
 */

type Row = Record<string, unknown>;
type Dump = Record<string, Row[]>;

const MONDAYS_10AM = "0 10 * * 1";
const isPrompt = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "prompt");

/** Every row of every table, as `SELECT *` returns them (in the order the database keeps them), times as Dates. */
async function dumpEverything(world: World): Promise<Dump> {
  const tables = await world.prisma.$queryRawUnsafe<{ tablename: string }[]>(`SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const dump: Dump = {};
  // As JSON, so every column type (enums, arrays, JSON) comes back on both databases.
  const revive = (v: unknown) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(v) ? new Date(`${v}Z`) : v);
  for (const { tablename } of tables) {
    const rows = await world.prisma.$queryRawUnsafe<{ row: Row }[]>(`SELECT row_to_json(t) AS row FROM (SELECT * FROM "${tablename}") t`);
    dump[tablename] = rows.map(({ row }) => Object.fromEntries(Object.entries(typeof row === "string" ? JSON.parse(row) : row).map(([k, v]) => [k, revive(v)])));
  }
  return dump;
}

/** Every value in a row as text, nested JSON included, so any id or key anywhere in it can be found. */
function valuesOf(row: Row): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (v === null || v === undefined) return;
    if (v instanceof Date) out.push(v.toISOString());
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object") {
      out.push(JSON.stringify(v));
      Object.values(v as object).forEach(walk);
    } else out.push(String(v));
  };
  Object.values(row).forEach(walk);
  return out;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

type Suspect = { personId: string; role: Role; deliveryId: string; sentAt: Date | null; ids: Set<string> };

/**
 * The attacker: for each set of answers stored under one key (one person's),
 * the people who could have given it after every join. Each join narrows the
 * list only when it leaves someone in it (an attacker who finds a join
 * contradicts the facts learns that the join means nothing).
 */
function attack(dump: Dump, secrets: string[]): Map<string, Set<string>> {
  const occurrence = dump.PromptOccurrence![0]!;
  const deliveries = dump.PromptDelivery!;
  const suspects: Suspect[] = deliveries.map((d) => {
    const personId = d.personId as string;
    // What stands for this person anywhere: their ids, their delivery's, their chat accounts' and memberships'.
    const ids = new Set<string>([personId, d.id as string]);
    for (const r of dump.PlatformIdentity ?? []) if (r.personId === personId) [r.id, r.externalId].forEach((v) => ids.add(String(v)));
    for (const r of dump.Membership ?? []) if (r.personId === personId) ids.add(String(r.id));
    return { personId, role: d.role as Role, deliveryId: d.id as string, sentAt: (d.sentAt as Date | null) ?? null, ids };
  });
  const linked = (row: Row) => {
    const values = new Set(valuesOf(row));
    return suspects.filter((s) => [...s.ids].some((id) => values.has(id) || [...values].some((v) => v.length > 40 && v.includes(id))));
  };
  const responses = dump.PromptResponse!;
  const groups = new Map<string, Row[]>();
  for (const r of responses) groups.set(r.responseKey as string, [...(groups.get(r.responseKey as string) ?? []), r]);
  const shownRoles = new Set(responses.map((r) => r.role).filter(Boolean));

  // Everything that could be a secret or a salt: every value in the dump, and whatever secret the attacker holds.
  const everyValue = new Set<string>(secrets);
  for (const rows of Object.values(dump)) for (const row of rows) for (const v of valuesOf(row)) everyValue.add(v);
  const keyMakers = (s: Suspect): string[] => {
    const made = [createHash("sha256").update(s.deliveryId).digest("hex"), createHash("sha256").update(s.personId).digest("hex")];
    for (const v of everyValue) {
      for (const message of [s.deliveryId, s.personId, `${occurrence.id}:${s.deliveryId}`, `response:${occurrence.id}:${s.deliveryId}`]) {
        made.push(createHmac("sha256", v).update(message).digest("hex"));
      }
    }
    return made;
  };
  const keyOwner = new Map<string, string>();
  for (const s of suspects) for (const key of keyMakers(s)) keyOwner.set(key, s.personId);

  // Rows that mark a person as having answered, or as not having answered.
  const answeredMarks = new Set(deliveries.filter((d) => d.status === "answered" || d.answeredAt).map((d) => d.personId as string));
  for (const c of dump.Contribution ?? []) if (c.kind === "answer") answeredMarks.add(c.personId as string);
  const notAnswered = new Set(deliveries.filter((d) => ["declined", "skipped", "closed", "pending"].includes(d.status as string) || !d.sentAt).map((d) => d.personId as string));

  // What happened to each person after the questions reached them, by day: one signal per table and column
  // (a person's last-seen time, an outbox row's sending time ...), from any row that names them.
  const activity = new Map<string, Map<string, Set<string>>>();
  const linkedRows: { row: Row; who: Suspect[]; table: string }[] = [];
  for (const [table, rows] of Object.entries(dump)) {
    if (table === "PromptResponse") continue;
    for (const row of rows) {
      const who = linked(row);
      if (who.length === 0) continue;
      linkedRows.push({ row, who, table });
      for (const s of who) {
        for (const [column, value] of Object.entries(row)) {
          if (!(value instanceof Date) || !s.sentAt || value <= s.sentAt || value > (occurrence.closesAt as Date)) continue;
          const signal = activity.get(`${table}.${column}`) ?? new Map<string, Set<string>>();
          signal.set(s.personId, new Set([...(signal.get(s.personId) ?? []), day(value)]));
          activity.set(`${table}.${column}`, signal);
        }
      }
    }
  }
  // Who was reminded, and when: a reminder goes to someone who had not answered yet.
  const reminded = (dump.OutboxMessage ?? []).filter((m) => String(m.purpose).includes("reminder")).map((m) => ({ personId: m.personId as string, at: m.createdAt as Date }));

  const result = new Map<string, Set<string>>();
  for (const [key, rows] of groups) {
    let candidates = new Set(suspects.filter((s) => s.sentAt).map((s) => s.personId));
    const narrow = (keep: (personId: string) => boolean) => {
      const next = new Set([...candidates].filter(keep));
      if (next.size > 0) candidates = next;
    };
    // 1. An id, a key or any value of the answer rows found in a row that names a person.
    const values = new Set(rows.flatMap((r) => valuesOf({ id: r.id, responseKey: r.responseKey, personId: r.personId })));
    const named = linkedRows.filter(({ row }) => valuesOf(row).some((v) => values.has(v))).flatMap(({ who }) => who.map((s) => s.personId));
    if (named.length) narrow((p) => named.includes(p));
    // 2. The key remade from a delivery or a person, with any value in the dump (or the secret) as the key's secret.
    if (keyOwner.has(key)) narrow((p) => p === keyOwner.get(key));
    // 3. The role kept on the answer; "someone" means a role that no answer shows.
    const role = rows[0]!.role as Role | null;
    narrow((p) => {
      const theirs = suspects.find((s) => s.personId === p)!.role;
      return role ? theirs === role : !shownRoles.has(theirs);
    });
    // 4. Deliveries marked answered, declined or never sent; contributions recorded for answering.
    if (answeredMarks.size) narrow((p) => answeredMarks.has(p));
    narrow((p) => !notAnswered.has(p));
    // 5. The day on the answer against the days something happened to each person, one signal at a time.
    const answerDays = new Set(rows.flatMap((r) => [day(r.answeredAt as Date), day(r.updatedAt as Date)]));
    for (const signal of activity.values()) narrow((p) => [...(signal.get(p) ?? [])].some((d) => answerDays.has(d)));
    // 6. Whoever did anything at all after the questions reached them (pressed a button, was written to) may have answered.
    for (const signal of activity.values()) narrow((p) => signal.has(p));
    // 7. Reminders: someone reminded after the answer's day had not answered by then.
    const answeredBy = new Date(Math.max(...rows.map((r) => (r.updatedAt as Date).getTime())) + 24 * 3600_000);
    narrow((p) => !reminded.some((m) => m.personId === p && m.at >= answeredBy));
    result.set(key, candidates);
  }
  return result;
}

describe.each(backends())("an attacker holding the whole database, on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("cannot match anonymous answers to people, before the questions close or after, even with the secret after", async () => {
    const MIN = world.ctx.settings.minGroupSize;
    const programme = await world.programme();
    const people: Record<string, TestPerson> = {};
    const roles: Record<string, Role> = {};
    for (const [prefix, role, count] of [["Expert", "expert_by_experience", 5], ["Pro", "professional", 5], ["Commissioner", "commissioner", 2]] as const) {
      for (let i = 1; i <= count; i++) {
        people[`${prefix} ${i}`] = await world.person(programme, `${prefix} ${i}`, role);
        roles[`${prefix} ${i}`] = role;
      }
    }
    expect(Object.keys(people).length).toBeGreaterThanOrEqual(2 * MIN);
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ladder_check", {
      cron: MONDAYS_10AM,
      audienceRoles: ["expert_by_experience", "professional", "commissioner"],
      reminderAfterHours: 24,
      maxReminders: 2,
      closeAfterHours: 7 * 24,
    });
    world.clock.set("2026-03-02T10:00:00Z");
    await world.tick();
    // The promise this test holds the code to.
    expect(textOf(people["Expert 1"]!.inbox().find(isPrompt))).toContain("Your answers are kept without your name. Nobody can tell which answers are yours.");

    const truth = new Map<string, string>(); // the words each person wrote last -> their person id
    const said = new Map<string, string[]>();
    const answer = async (name: string, words: string, form?: Message) => {
      const person = people[name]!;
      const msg = form ?? person.inbox().find(isPrompt)!;
      const prompt = findForm(msg, "prompt");
      const choice = prompt.inputs[0]!.kind === "single" ? (prompt.inputs[0] as { options: { value: string }[] }).options[name.length % 3]!.value : "";
      const values = { [prompt.inputs[0]!.id]: choice, [prompt.inputs[1]!.id]: words };
      const reply = await person.press(prompt.submit, values);
      expect(reply.error).toBeUndefined();
      for (const [w, id] of truth) if (id === person.id) truth.delete(w);
      truth.set(words, person.id);
      said.set(name, [choice, words]);
      return reply;
    };

    // Monday: three people answer at once.
    world.clock.set("2026-03-02T13:05:00Z");
    const first = await answer("Expert 1", "Meetings start too early for me");
    await answer("Pro 1", "The papers came late");
    await answer("Commissioner 1", "We heard new voices");
    // Tuesday: reminders go out; two more answer, and Expert 1 changes their answer.
    world.clock.set("2026-03-03T11:00:00Z");
    await world.tick();
    world.clock.set("2026-03-03T15:30:00Z");
    await answer("Expert 2", "I felt listened to");
    await answer("Pro 2", "Too many acronyms");
    const change = await people["Expert 1"]!.press(findButton(first.replaceSource, "Change my answers").call);
    await answer("Expert 1", "Meetings should start after ten", change.replaceSource);
    // Wednesday: more reminders; two more answer, one says not this time, one opens the questions and leaves.
    world.clock.set("2026-03-04T11:00:00Z");
    await world.tick();
    world.clock.set("2026-03-04T16:45:00Z");
    await answer("Pro 3", "Good chairing");
    await answer("Commissioner 2", "We should pay people sooner");
    const declined = await people["Expert 3"]!.press(findButton(people["Expert 3"]!.inbox().find(isPrompt), "Not this time").call);
    expect(textOf(declined.replaceSource)).toContain("we do not note who says no");
    await people["Expert 4"]!.press({ action: "prompt.open", args: { deliveryId: findForm(people["Expert 4"]!.inbox().find(isPrompt), "prompt").submit.args.deliveryId! } });

    // Reminders went to everyone it was sent to, answered or not: who got one says nothing.
    const reminders = await world.prisma.outboxMessage.findMany({ where: { purpose: "prompt.reminder" } });
    expect(new Set(reminders.map((r) => r.personId)).size).toBe(12);
    expect(textOf(people["Pro 1"]!.inbox().at(-1))).toContain("If you have answered already, thank you");

    // Before close, each person still sees and can change their own answers, and only theirs.
    for (const [name, [choice, words]] of said) {
      const person = people[name]!;
      const deliveryId = findForm(person.inbox().find(isPrompt), "prompt").submit.args.deliveryId!;
      const open = await person.press({ action: "prompt.open", args: { deliveryId } });
      const inputs = findForm(open.private, "prompt").inputs as { initial?: unknown }[];
      expect([inputs[0]!.initial, inputs[1]!.initial]).toEqual([choice, words]);
    }
    // Their home page knows too, found by the key alone.
    expect(textOf((await people["Pro 1"]!.say("home")).private)).toContain("Answered. You can change your answers");
    expect(textOf((await people["Pro 4"]!.say("home")).private)).toContain("Please answer");
    const blank = await people["Expert 5"]!.press({ action: "prompt.open", args: { deliveryId: findForm(people["Expert 5"]!.inbox().find(isPrompt), "prompt").submit.args.deliveryId! } });
    expect((findForm(blank.private, "prompt").inputs as { initial?: unknown }[]).every((i) => i.initial === undefined)).toBe(true);

    // The attacker with the database alone, before close.
    const before = await dumpEverything(world);
    expect(before.PromptDelivery![0]!.sentAt).toBeInstanceOf(Date);
    expect(before.Setting ?? []).toEqual([]);
    expect(JSON.stringify(before, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(world.ctx.settings.answerSecret);
    const respondents = new Set(truth.values());
    expect(respondents.size).toBe(7);
    // Still countable, by key, though nothing notes who answered.
    const round = { id: before.PromptOccurrence![0]!.id as string, series: { anonymous: true } };
    expect(await peopleWhoAnswered(world.prisma, round)).toBe(7);
    const judge = (guesses: Map<string, Set<string>>, dump: Dump) => {
      expect(guesses.size).toBe(7);
      for (const [key, candidates] of guesses) {
        const words = dump.PromptResponse!.find((r) => r.responseKey === key && r.text)!.text as string;
        // The attacker's joins were sound (the author is still a candidate), and left at least MIN people: no better than chance.
        expect(candidates.has(truth.get(words)!)).toBe(true);
        expect(candidates.size, `answer "${words}" narrowed to ${candidates.size}`).toBeGreaterThanOrEqual(MIN);
      }
    };
    judge(attack(before, []), before);

    // Roles show only where enough people were asked: professionals (5) yes; experts and commissioners say "someone",
    // as 2 commissioners alone would be too few to hide among.
    const shown = (await programme.facilitator.say("answers")).private;
    expect(textOf(shown)).toContain('Professional: "Good chairing"');
    expect(textOf(shown)).toContain('Someone: "We should pay people sooner"');
    expect(textOf(shown)).toContain('Someone: "Meetings should start after ten"');
    expect(textOf(shown)).not.toMatch(/Commissioner:|Expert by experience:/);

    // The questions close: the answers are sealed.
    const orderBefore = before.PromptResponse!.map((r) => r.id);
    world.clock.set("2026-03-09T10:01:00Z");
    await world.tick();
    const occurrenceId = before.PromptOccurrence![0]!.id as string;
    const after = await dumpEverything(world);
    // The next Monday's questions have gone out too: the attacker looks at the closed ones.
    const closed = (table: string) => after[table]!.filter((r) => r.occurrenceId === occurrenceId);
    Object.assign(after, { PromptOccurrence: after.PromptOccurrence!.filter((o) => o.id === occurrenceId), PromptDelivery: closed("PromptDelivery") });
    expect(after.PromptOccurrence![0]!.sealedAt).not.toBeNull();
    expect(after.PromptResponse!.map((r) => r.text).sort()).toEqual(before.PromptResponse!.map((r) => r.text).sort());
    expect(after.PromptResponse!.map((r) => r.id)).not.toEqual(orderBefore);

    // Even with the secret, no key is one the service could make for any delivery.
    const secret = world.ctx.settings.answerSecret;
    const keys = new Set(after.PromptResponse!.map((r) => r.responseKey as string));
    expect(keys.size).toBe(7);
    expect(await peopleWhoAnswered(world.prisma, round)).toBe(7);
    for (const d of after.PromptDelivery!) expect(keys.has(responseKeyFor(secret, occurrenceId, d.id as string))).toBe(false);
    judge(attack(after, [secret]), after);

    // And the person can no longer find or change them: the questions have closed.
    const late = await people["Expert 1"]!.press({ action: "prompt.open", args: { deliveryId: findForm(people["Expert 1"]!.inbox().find(isPrompt), "prompt").submit.args.deliveryId! } });
    expect(late.error?.code).toBe("closed");
  }, 300_000);

  it("warns a facilitator who starts anonymous questions for fewer than MIN people, and tells those people the truth", async () => {
    const MIN = world.ctx.settings.minGroupSize;
    const programme = await world.programme();
    const few = [await world.person(programme, "Ann", "expert_by_experience"), await world.person(programme, "Ben", "expert_by_experience")];
    const start = (anonymous: "yes" | "no") =>
      programme.facilitator.press({ action: "prompts.start", args: { programmeId: programme.id, templateKey: "ladder_check" } }, {
        schedule: MONDAYS_10AM,
        audienceRoles: "expert_by_experience",
        anonymous,
      });
    const warned = await start("yes");
    expect(warned.error).toBeUndefined();
    expect(textOf(warned.replaceSource)).toContain(`Only 2 people can get these questions now. With fewer than ${MIN}, people might guess who said what.`);
    // Named questions promise no anonymity, so there is nothing to warn about.
    expect(textOf((await start("no")).replaceSource)).not.toContain("might guess");

    world.clock.set("2026-03-02T10:00:00Z");
    await world.tick();
    const prompts = few[0]!.inbox().filter(isPrompt);
    const anonymous = prompts.find((m) => textOf(m).includes("without your name"))!;
    // The participant is not promised what cannot be kept.
    expect(textOf(anonymous)).toContain("Your answers are kept without your name or your role. But only a few people were asked, so others might guess which answers are yours.");
    expect(textOf(anonymous)).not.toContain("Nobody can tell");
    const form = findForm(anonymous, "prompt");
    const choice = (form.inputs[0] as { options: { value: string }[] }).options[0]!.value;
    expect((await few[0]!.press(form.submit, { [form.inputs[0]!.id]: choice, [form.inputs[1]!.id]: "Short notice again" })).error).toBeUndefined();
    expect((await world.prisma.promptResponse.findMany()).map((r) => [r.role, r.personId])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it("notes no time on a chat account at each press, only when the person moves to another account (which is then written to)", async () => {
    const at = (iso: string) => new Date(iso);
    const { person } = await ensureIdentity(world.prisma, at("2026-03-02T09:00:00Z"), "slack", { externalId: "U-ann" });
    const seen = async () => (await world.prisma.platformIdentity.findMany({ where: { personId: person.id }, orderBy: { platform: "asc" } })).map((i) => [i.platform, i.lastSeenAt.toISOString()]);
    await ensureIdentity(world.prisma, at("2026-03-03T15:30:00Z"), "slack", { externalId: "U-ann" });
    expect(await seen()).toEqual([["slack", "2026-03-02T09:00:00.000Z"]]);
    // The same person on Teams, then back on Slack: the account last used is the one wesaid writes to.
    await world.prisma.platformIdentity.create({ data: { personId: person.id, platform: "teams", externalId: "T-ann", lastSeenAt: at("2026-03-04T10:00:00Z") } });
    await ensureIdentity(world.prisma, at("2026-03-05T11:00:00Z"), "slack", { externalId: "U-ann" });
    expect(await seen()).toEqual([
      ["slack", "2026-03-05T11:00:00.000Z"],
      ["teams", "2026-03-04T10:00:00.000Z"],
    ]);
    await ensureIdentity(world.prisma, at("2026-03-06T11:00:00Z"), "slack", { externalId: "U-ann" });
    expect((await seen())[0]).toEqual(["slack", "2026-03-05T11:00:00.000Z"]);
  });
});
