import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { DAY, HOUR } from "../../../src/clock.ts";
import { startHttpServer, type HttpServer } from "../../../src/http.ts";
import { silentLogger } from "../../../src/context.ts";
import { CODEBOOK, exportRoute, startExport, type ExportKind } from "../../../src/evidence/index.ts";
import type { Message } from "../../../src/messages/model.ts";
import type { Role } from "../../../src/roles.ts";

type Programme = Awaited<ReturnType<World["programme"]>>;
type Cast = { programme: Programme; evaluator: TestPerson; experts: TestPerson[]; pros: TestPerson[]; everyone: { person: TestPerson; name: string }[] };

const NAMES = ["Ada Quill", "Bea Marsh", "Cal Rowe", "Dot Pike", "Eli Frost"];

function fileIn(message: Message | undefined) {
  const file = message?.blocks.find((b) => b.kind === "file");
  if (!file || file.kind !== "file") throw new Error("no file in the reply");
  return file;
}

const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];

describe.each(backends())("exports on %s", (backend) => {
  let world: World;
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    world = await World.open(backend, {}, { observeQueries: true });
    http = await startHttpServer({ port: 0, host: "127.0.0.1", log: silentLogger });
    http.serve([exportRoute(world.ctx)]);
    base = `http://127.0.0.1:${http.port}`;
  });
  afterAll(async () => {
    await http.close();
    await world.close();
  });
  beforeEach(() => world.reset());

  /** Five experts by experience (Dot said no to quotes), two professionals, an evaluator. */
  async function cast(name = "Mental health services review"): Promise<Cast> {
    const programme = await world.programme(name);
    const evaluator = await world.person(programme, "Eve Evaluator", "evaluator");
    const everyone: Cast["everyone"] = [];
    const experts: TestPerson[] = [];
    for (const n of NAMES) {
      const person = await world.person(programme, n, "expert_by_experience", { quotation: n !== "Dot Pike" });
      experts.push(person);
      everyone.push({ person, name: n });
    }
    const pros: TestPerson[] = [];
    for (const n of ["Pat Lowe", "Raj Bell"]) {
      const person = await world.person(programme, n, "professional");
      pros.push(person);
      everyone.push({ person, name: n });
    }
    return { programme, evaluator, experts, pros, everyone };
  }

  /** A named series with one round sent to everyone; each answers a scale and a text question. */
  async function answered(c: Cast, options: { anonymous?: boolean; when?: Date; texts?: (i: number) => string } = {}) {
    const when = options.when ?? new Date("2026-03-03T10:00:00Z");
    const series = await world.prisma.promptSeries.create({
      data: {
        programmeId: c.programme.id,
        title: options.anonymous ? "Anonymous check-in" : "Weekly check-in",
        audienceRoles: ["expert_by_experience", "professional"],
        cron: "0 10 * * 2",
        timeZone: "Europe/London",
        anonymous: options.anonymous ?? false,
        questions: { create: [ { position: 0, kind: "scale", text: "How heard do you feel?" }, { position: 1, kind: "text", text: "What went well?" } ] },
      },
      include: { questions: { orderBy: { position: "asc" } } },
    });
    const occ = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * DAY) } });
    const people: [TestPerson, Role][] = [...c.experts.map((p) => [p, "expert_by_experience"] as [TestPerson, Role]), ...c.pros.map((p) => [p, "professional"] as [TestPerson, Role])];
    let i = 0;
    for (const [person, role] of people) {
      await world.prisma.promptDelivery.create({ data: { occurrenceId: occ.id, personId: person.id, role, status: "answered", notBefore: when, sentAt: when, answeredAt: when } });
      const at = options.anonymous ? when : new Date(when.getTime() + HOUR + i * 60_000);
      const key = `${occ.id}:${person.id}`;
      const who = options.anonymous ? { personId: null, role: role === "professional" ? null : role } : { personId: person.id, role };
      await world.prisma.promptResponse.create({ data: { occurrenceId: occ.id, questionId: series.questions[0]!.id, ...who, responseKey: key, number: i % 11, answeredAt: at, updatedAt: at } });
      await world.prisma.promptResponse.create({ data: { occurrenceId: occ.id, questionId: series.questions[1]!.id, ...who, responseKey: key, text: options.texts?.(i) ?? `Answer ${i}, "quoted", with a comma\nand a new line`, answeredAt: at, updatedAt: at } });
      i++;
    }
    return { series, occ };
  }

  async function exportViaChat(who: TestPerson, command: string) {
    const reply = await who.say(command);
    return { reply, file: fileIn(reply.private) };
  }

  async function everyPlatformIdAndName(c: Cast): Promise<string[]> {
    const identities = await world.prisma.platformIdentity.findMany({ select: { externalId: true } });
    const people = await world.prisma.person.findMany({ select: { displayName: true, id: true } });
    return [...identities.map((i) => i.externalId), ...people.map((p) => p.displayName), ...people.map((p) => p.id), ...c.everyone.map((e) => e.name)];
  }

  it("gives an evaluator the answers as a CSV that opens in Excel: BOM, documented columns, quoting that parses back", async () => {
    const c = await cast();
    await answered(c);
    const { file, reply } = await exportViaChat(c.evaluator, "export answers csv");
    expect(file).toMatchObject({ filename: "wesaid-answers.csv", mimeType: "text/csv" });
    expect(file.content.charCodeAt(0)).toBe(0xfeff);
    expect(reply.private!.summary).toContain("Your export of answers");
    const header = file.content.slice(1).split("\r\n")[0]!.split(",");
    expect(header).toEqual(CODEBOOK.answers.map((col) => col.column));
    const rows = rowsOf(file.content);
    expect(rows).toHaveLength(14);
    const ada = rows.find((r) => r.answer_text!.startsWith("Answer 0"))!;
    expect(ada.answer_text).toBe('Answer 0, "quoted", with a comma\nand a new line');
    expect(ada).toMatchObject({ programme: "Mental health services review", series: "Weekly check-in", question: "What went well?", question_type: "text", anonymous: "no", stage: "", theme_codes: "" });
    expect(rows.filter((r) => r.question_type === "scale").map((r) => r.answer_number).sort()).toEqual(["0", "1", "2", "3", "4", "5", "6"]);
  });

  it("never holds a name, a platform id or a person's id, and leaves out the words of people who did not agree to be quoted", async () => {
    const c = await cast();
    await answered(c);
    const csv = (await exportViaChat(c.evaluator, "export answers")).file.content;
    for (const secret of await everyPlatformIdAndName(c)) expect(csv).not.toContain(secret);
    const rows = rowsOf(csv).filter((r) => r.question_type === "text");
    const dot = rows.find((r) => r.text_withheld === "no consent to quote")!;
    expect(dot.answer_text).toBe("");
    expect(rows.filter((r) => r.text_withheld === "")).toHaveLength(6);
  });

  it("names a role only where five or more of it were asked, and gives a stable code per programme", async () => {
    const c = await cast();
    await answered(c);
    await answered(c, { when: new Date("2026-03-10T10:00:00Z") });
    const rows = rowsOf((await exportViaChat(c.evaluator, "export answers")).file.content);
    const labels = new Set(rows.map((r) => r.role));
    expect(labels).toEqual(new Set(["Expert by experience", "Someone"]));
    expect(rows.filter((r) => r.role === "Someone")).toHaveLength(8);
    // Seven people, each with one code across both rounds and both questions.
    const codes = new Set(rows.map((r) => r.person));
    expect(codes.size).toBe(7);
    for (const code of codes) expect(code).toMatch(/^p-[0-9a-f]{16}$/);

    // Ada in a second programme gets another code there.
    const other = await cast("Carers' programme");
    await answered(other);
    const otherCodes = new Set(rowsOf((await exportViaChat(other.evaluator, "export answers")).file.content).map((r) => r.person));
    for (const code of otherCodes) expect(codes.has(code)).toBe(false);
  });

  it("gives anonymous answers no person code and none of their words", async () => {
    const c = await cast();
    await answered(c, { anonymous: true });
    const rows = rowsOf((await exportViaChat(c.evaluator, "export answers")).file.content);
    expect(rows).toHaveLength(14);
    for (const r of rows) expect(r.person).toBe("");
    expect(rows.filter((r) => r.question_type === "text").every((r) => r.answer_text === "" && r.text_withheld === "anonymous")).toBe(true);
    expect(rows.every((r) => r.anonymous === "yes" && r.answered_at === "2026-03-03T10:00:00.000Z")).toBe(true);
  });

  it("exports only the days asked for, both ends included, and as JSON Lines", async () => {
    const c = await cast();
    await answered(c, { when: new Date("2026-10-01T10:00:00Z") });
    await answered(c, { when: new Date("2026-10-31T10:00:00Z") });
    await answered(c, { when: new Date("2026-11-01T10:00:00Z") });
    const { file } = await exportViaChat(c.evaluator, "export answers jsonl from 2026-10-01 to 2026-10-31");
    expect(file).toMatchObject({ filename: "wesaid-answers-2026-10-01-to-2026-10-31.jsonl", mimeType: "application/x-ndjson" });
    const lines = file.content.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toHaveLength(28);
    expect(Object.keys(lines[0]!)).toEqual(CODEBOOK.answers.map((col) => col.column));
    expect(new Set(lines.map((l) => l.occurrence!.slice(0, 10)))).toEqual(new Set(["2026-10-01", "2026-10-31"]));
    const wrong = await c.evaluator.say("export answers from 2026-10-31 to 2026-10-01");
    expect(wrong.error?.code).toBe("invalid_input");
  });

  it("is for evaluators: an expert by experience is refused, and every export is in the audit log naming no participant", async () => {
    const c = await cast();
    await answered(c);
    expect((await c.experts[0]!.say("export answers")).error?.code).toBe("not_allowed");
    await exportViaChat(c.evaluator, "export ideas");
    const entries = await world.prisma.auditEntry.findMany({ where: { action: { startsWith: "export." } } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: c.evaluator.id, action: "export.ideas", entity: "Programme", entityId: c.programme.id, detail: { format: "csv", via: "chat", from: null, to: null } });
  });

  it("reads answers in batches: many rows never come from one query", async () => {
    const c = await cast();
    for (let week = 0; week < 4; week++) await answered(c, { when: new Date(Date.parse("2026-03-03T10:00:00Z") + week * 7 * DAY) });
    const statements: string[] = [];
    const stop = world.db.onQuery((sql) => statements.push(sql));
    const { stream, rows } = await startExport(world.ctx, { programmeId: c.programme.id, readerId: c.evaluator.id, request: { what: "answers", format: "csv" }, via: "chat", batchSize: 10 });
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    stop();
    expect(bytes).toBeGreaterThan(0);
    expect(rows()).toBe(56);
    const answerReads = statements.filter((sql) => /FROM "public"."PromptResponse"/.test(sql));
    expect(answerReads.length).toBe(6); // 10 + 10 + 10 + 10 + 10 + 6
    expect(answerReads.every((sql) => /LIMIT/.test(sql))).toBe(true);
  });

  it("exports ideas with their history and reactions, taster sign-ups and debriefs, by role and code only", async () => {
    const c = await cast();
    const [ada, , , dot] = c.experts;
    await ada!.say("suggest Hold the meetings somewhere with step-free access");
    await dot!.say("suggest Send the papers a week before");
    const items = await world.prisma.feedbackItem.findMany({ orderBy: { number: "asc" } });
    const now = world.clock.now();
    await world.prisma.feedbackStatusChange.create({ data: { itemId: items[0]!.id, from: "received", to: "agreed", reason: "We can book the library", changedById: c.programme.facilitator.id, changedAt: new Date(now.getTime() + HOUR) } });
    const update = await world.prisma.feedbackUpdate.create({ data: { programmeId: c.programme.id, authorId: c.programme.facilitator.id, authorRole: "facilitator", text: "Booked the library", postedAt: new Date(now.getTime() + 2 * HOUR), items: { create: [{ itemId: items[0]!.id }] } } });
    await world.prisma.feedbackReaction.create({ data: { updateId: update.id, itemId: items[0]!.id, personId: ada!.id, answered: "partly", comment: "The lift is often broken", reactedAt: new Date(now.getTime() + 3 * HOUR) } });

    const ideas = rowsOf((await exportViaChat(c.evaluator, "export ideas")).file.content);
    expect(ideas.map((r) => [r.idea_number, r.event])).toEqual([["1", "raised"], ["1", "status"], ["1", "we_did"], ["1", "reaction"], ["2", "raised"]]);
    expect(ideas[0]).toMatchObject({ role: "Expert by experience", text: "Hold the meetings somewhere with step-free access", status_now: "received" });
    expect(ideas[3]).toMatchObject({ answered: "partly", text: "The lift is often broken", person: ideas[0]!.person });
    expect(ideas[4]).toMatchObject({ text: "", text_withheld: "no consent to quote" });
    expect(ideas[1]!.role).toBe("Someone"); // one facilitator

    const taster = await world.prisma.taster.create({ data: { programmeId: c.programme.id, title: "Drumming", whatToExpect: "Drums", audienceRoles: ["expert_by_experience"], startsAt: new Date(now.getTime() + 2 * DAY), endsAt: new Date(now.getTime() + 2 * DAY + HOUR), capacity: 10 } });
    for (const p of [ada!, dot!]) await world.prisma.tasterSignup.create({ data: { tasterId: taster.id, personId: p.id, role: "expert_by_experience", status: "booked", queuedAt: now, attended: true, expectationsMet: "yes", wouldTakePart: "maybe", followUpComment: "Loud but fun" } });
    const tasters = rowsOf((await exportViaChat(c.evaluator, "export tasters")).file.content);
    expect(tasters).toHaveLength(2);
    expect(tasters.map((t) => t.comment).sort()).toEqual(["", "Loud but fun"]);
    expect(tasters.every((t) => t.role === "Expert by experience" && t.attended === "yes")).toBe(true);

    const panel = await world.prisma.panel.create({ data: { programmeId: c.programme.id, title: "Interview panel", startsAt: now, endsAt: new Date(now.getTime() + HOUR), members: { create: c.pros.map((p) => ({ personId: p.id, role: "professional" as const })) } } });
    await world.prisma.debriefResponse.create({ data: { panelId: panel.id, personId: c.pros[0]!.id, role: "professional", wentWell: "Clear questions", listenedTo: "yes", submittedAt: now, updatedAt: now } });
    const debriefs = rowsOf((await exportViaChat(c.evaluator, "export debriefs")).file.content);
    expect(debriefs).toEqual([expect.objectContaining({ panel: "Interview panel", role: "Someone", went_well: "Clear questions", listened_to: "yes" })]);

    const all = [ideas, tasters, debriefs].map((rows) => JSON.stringify(rows)).join();
    for (const secret of await everyPlatformIdAndName(c)) expect(all).not.toContain(secret);
  });

  it("sends a link instead of a file over 1 MB", async () => {
    const c = await cast();
    const long = "x".repeat(80_000);
    for (let week = 0; week < 3; week++) await answered(c, { when: new Date(Date.parse("2026-03-03T10:00:00Z") + week * 7 * DAY), texts: () => long });
    const reply = await c.evaluator.say("export answers from 2026-03-01");
    expect(reply.private!.blocks.some((b) => b.kind === "file")).toBe(false);
    expect(JSON.stringify(reply.private)).toContain(`/exports/answers.csv?programme=${c.programme.id}&from=2026-03-01`);
  });

  describe("the HTTP endpoint", () => {
    async function token(who: TestPerson): Promise<string> {
      const reply = await who.say("export token");
      const found = /wse_[\w-]+/.exec(JSON.stringify(reply.private));
      if (!found) throw new Error("no token in the reply");
      return found[0];
    }
    const get = (path: string, tokenValue?: string) => fetch(`${base}${path}`, { headers: tokenValue ? { authorization: `Bearer ${tokenValue}` } : {} });

    it("streams a CSV to an evaluator's token, keeps only its hash, and stops it working when revoked", async () => {
      const c = await cast();
      await answered(c);
      const t = await token(c.evaluator);
      const stored = await world.prisma.exportToken.findMany();
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(t);
      const res = await get(`/exports/answers.csv?programme=${c.programme.id}`, t);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="wesaid-answers.csv"');
      const body = Buffer.from(await res.arrayBuffer());
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(rowsOf(body.toString("utf8"))).toHaveLength(14);
      expect(await world.prisma.auditEntry.count({ where: { action: "export.answers", actorId: c.evaluator.id } })).toBe(1);

      const jsonl = await get(`/exports/debriefs.jsonl?programme=${c.programme.id}&from=2026-01-01&to=2026-12-31`, t);
      expect(jsonl.status).toBe(200);
      expect(await jsonl.text()).toBe("");

      expect(textOfReply(await c.evaluator.say("export token revoke"))).toContain("will not work any more");
      const after = await get(`/exports/answers.csv?programme=${c.programme.id}`, t);
      expect(after.status).toBe(401);
      expect(((await after.json()) as { error: string }).error).toContain("export token");
    });

    it("answers 401 without a working token, 403 for another programme or an evaluator who left, 400 for a bad query", async () => {
      const c = await cast();
      const other = await cast("Carers' programme");
      const t = await token(c.evaluator);
      expect((await get(`/exports/answers.csv?programme=${c.programme.id}`)).status).toBe(401);
      expect((await get(`/exports/answers.csv?programme=${c.programme.id}`, "wse_guessed")).status).toBe(401);
      const forbidden = await get(`/exports/answers.csv?programme=${other.programme.id}`, t);
      expect(forbidden.status).toBe(403);
      expect(((await forbidden.json()) as { error: string }).error).toContain("not for this programme");
      const bad = await get(`/exports/answers.csv?programme=${c.programme.id}&from=1%20Oct`, t);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toBe("Write dates like 2026-10-01 (year, month, day).");
      expect((await get(`/exports/answers.csv`, t)).status).toBe(400);
      expect((await get(`/exports/names.csv?programme=${c.programme.id}`, t)).status).toBe(404);
      // No export was made by any of these.
      expect(await world.prisma.auditEntry.count({ where: { action: { startsWith: "export.answers" } } })).toBe(0);
      await world.prisma.membership.update({ where: { programmeId_personId: { programmeId: c.programme.id, personId: c.evaluator.id } }, data: { role: "expert_by_experience" } });
      expect((await get(`/exports/answers.csv?programme=${c.programme.id}`, t)).status).toBe(403);
    });
  });
});

function textOfReply(reply: { private?: Message }): string {
  return JSON.stringify(reply.private ?? {});
}

describe("the README's codebook", () => {
  it("lists every column of every export", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Exports"));
    for (const kind of Object.keys(CODEBOOK) as ExportKind[]) {
      for (const col of CODEBOOK[kind]) expect(section, `${kind}.${col.column}`).toContain(`\`${col.column}\``);
    }
  });
});
