import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { silentLogger } from "../../../src/context.ts";
import { startHttpServer, type HttpServer } from "../../../src/http.ts";
import { codeImportRoute, frameworkCodes } from "../../../src/coding/index.ts";
import { buildDigest, digestMessage } from "../../../src/digest/index.ts";
import { CODEBOOK } from "../../../src/evidence/index.ts";
import { plainText, type Message } from "../../../src/messages/model.ts";
import { cast } from "./cast.ts";

// Two programmes of eight people each are set up in some tests: slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
function fileOf(message: Message | undefined): string {
  const file = message?.blocks.find((b) => b.kind === "file");
  if (!file || file.kind !== "file") throw new Error(`no file in: ${textOf(message)}`);
  return file.content;
}
const exportOf = async (who: TestPerson, what: string) => rowsOf(fileOf((await who.say(`export ${what}`)).private));

/** Chooses codes by their names in the "Codes" form, as a person ticks them. */
async function chooseCodes(who: TestPerson, picker: Message | undefined, labels: string[]) {
  const form = findForm(picker, "coding");
  const input = form.inputs[0]!;
  if (input.kind !== "multi") throw new Error("the codes are not a multi-choice");
  const values = labels.map((l) => input.options.find((o) => o.label === l)?.value ?? `missing ${l}`);
  return who.press(form.submit, { codes: values.join("\n") });
}

const offered = (picker: Message | undefined) => {
  const input = findForm(picker, "coding").inputs[0]!;
  return input.kind === "multi" ? input.options.map((o) => o.label) : [];
};

describe.each(backends())("theme coding on %s", (backend) => {
  let world: World;
  let http: HttpServer;
  let base: string;
  beforeAll(async () => {
    world = await World.open(backend);
    http = await startHttpServer({ port: 0, host: "127.0.0.1", log: silentLogger });
    http.serve([codeImportRoute(world.ctx)]);
    base = `http://127.0.0.1:${http.port}`;
  });
  afterAll(async () => {
    await http.close();
    await world.close();
  });
  beforeEach(() => world.reset());

  it("keeps a code book: the frameworks' codes, the evaluators' own, renamed and retired, and closed to participants", async () => {
    const c = await cast(world);
    const book = textOf((await c.evaluator.say("codes")).private);
    expect(book).toContain("Ladder of participation: Co-production (ladder:co_production): used 0 times");
    expect(book).toContain("SCIE principles: Equality (scie:equality)");
    expect(await world.prisma.code.count({ where: { programmeId: c.programme.id } })).toBe(frameworkCodes().length);

    expect(textOf((await c.evaluator.say("code add Feeling  heard")).private)).toContain('Added the code "Feeling heard". Its short name in files is own:feeling_heard.');
    expect((await c.evaluator.say("code add feeling heard")).error?.code).toBe("conflict");
    expect((await c.evaluator.say("code add")).error?.code).toBe("invalid_input");
    expect(textOf((await c.evaluator.say("code rename feeling heard to Being listened to")).private)).toContain('Renamed "Feeling heard" to "Being listened to"');
    expect((await c.evaluator.say("code rename scie:equality to Fairness")).error?.code).toBe("not_allowed");
    expect(textOf((await c.evaluator.say("code retire own:feeling_heard")).private)).toContain('Retired "Being listened to"');
    expect(textOf((await c.evaluator.say("codes")).private)).toMatch(/Retired codes\nBeing listened to \(own:feeling_heard\)/);

    const [expert] = c.people[0]!;
    expect((await expert.say("codes")).error?.code).toBe("not_allowed");
    expect((await expert.press({ action: "coding.pick", args: { kind: "answer", id: c.answers[0]!.id } })).error?.code).toBe("not_allowed");
    const help = textOf((await c.evaluator.say("help")).private);
    expect(help).toContain("codes");
    expect(await world.prisma.auditEntry.count({ where: { action: { startsWith: "code." } } })).toBe(3);
  });

  it("gives codes with the Code button on an answer, and the answers export shows them in theme_codes", async () => {
    const c = await cast(world);
    const answersView = (await c.facilitator.say("answers")).private;
    const codeButtons = answersView!.blocks.flatMap((b) => (b.kind === "buttons" ? b.buttons : [])).filter((b) => b.label === "Code");
    expect(codeButtons).toHaveLength(7);
    const picker = (await c.facilitator.press(codeButtons[0]!.call)).private;
    expect(textOf(picker)).toContain('"Answer 0 about the waiting room"');
    const saved = await chooseCodes(c.facilitator, picker, ["SCIE principles: Accessibility", "Ladder of participation: Consultation"]);
    expect(saved.private!.summary).toBe("Saved. This answer has 2 codes.");

    const rows = await exportOf(c.evaluator, "answers");
    expect(rows.find((r) => r.answer_text === "Answer 0 about the waiting room")!.theme_codes).toBe("ladder:consultation; scie:accessibility");
    expect(rows.filter((r) => r.theme_codes === "")).toHaveLength(6);

    // Choosing again replaces the choice; the evaluator reaches the same choice by the answer's id from the export.
    const again = (await c.evaluator.say(`code answer ${c.answers[0]!.id}`)).private;
    expect(findForm(again, "coding").inputs[0]).toMatchObject({ kind: "multi" });
    expect((await chooseCodes(c.evaluator, again, ["SCIE principles: Accessibility"])).private!.summary).toBe("Saved. This answer has 1 code.");
    expect((await exportOf(c.evaluator, "answers")).find((r) => r.answer_id === c.answers[0]!.id)!.theme_codes).toBe("scie:accessibility");

    // A retired code stays where it was given, and is still offered there, but nowhere new.
    await c.evaluator.say("code retire scie:accessibility");
    expect(offered((await c.evaluator.say(`code answer ${c.answers[0]!.id}`)).private)).toContain("SCIE principles: Accessibility");
    const other = (await c.evaluator.say(`code answer ${c.answers[1]!.id}`)).private;
    expect(offered(other)).not.toContain("SCIE principles: Accessibility");
    const code = await world.prisma.code.findFirstOrThrow({ where: { key: "scie:accessibility", programmeId: c.programme.id } });
    expect((await c.evaluator.press(findForm(other, "coding").submit, { codes: code.id })).error?.code).toBe("invalid_input");

    // Another programme's answer cannot be coded from here.
    const elsewhere = await cast(world, "Another programme");
    expect((await c.evaluator.say(`code answer ${elsewhere.answers[0]!.id}`)).error?.code).toBe("not_a_member");
    expect((await c.evaluator.say("code answer no-such-id")).error?.code).toBe("not_found");
  });

  it("brings in codes from a CSV all or nothing, names every bad line, and round-trips the export's own columns", async () => {
    const c = await cast(world);
    const elsewhere = await cast(world, "Another programme");
    await c.evaluator.say("code add Trust");
    const [a0, a1, a2] = c.answers.map((a) => a.id);
    const bad = [
      "kind,id,code",
      `answer,${a0},ladder:informing`,
      `answer,${elsewhere.answers[0]!.id},ladder:informing`,
      `answer,${a1},No such code`,
      `poem,${a2},trust`,
      `answer,,trust`,
    ].join("\n");
    const importForm = findForm((await c.evaluator.say("code import")).private, "coding-import");
    const refused = textOf((await c.evaluator.press(importForm.submit, { csv: bad })).private);
    expect(refused).toContain("Nothing was brought in");
    expect(refused).toContain(`Line 3: There is no answer "${elsewhere.answers[0]!.id}" in this programme.`);
    expect(refused).toContain('Line 4: There is no code "No such code".');
    expect(refused).toContain('Line 5: "poem" is not something that can be coded.');
    expect(refused).toContain("Line 6: The id is missing.");
    expect(await world.prisma.codeAssignment.count()).toBe(0);

    const good = [`answer,${a0},ladder:informing`, `answer,${a0},Trust`, `answer,${a1},trust`, `answer,${a1},trust`].join("\r\n");
    expect(textOf((await c.evaluator.press(importForm.submit, { csv: good })).private)).toContain("Brought in 4 lines: 3 new codes given");
    const rows = await exportOf(c.evaluator, "answers");
    expect(rows.find((r) => r.answer_id === a0)!.theme_codes).toBe("ladder:informing; own:trust");

    // The answers export itself comes back: answer_id and theme_codes.
    const edited = rows.map((r) => ({ id: r.answer_id!, codes: r.answer_id === a2 ? "scie:equality; own:trust" : r.theme_codes! }));
    const csv = ["answer_id,theme_codes", ...edited.map((r) => `${r.id},"${r.codes}"`)].join("\n");
    expect(textOf((await c.evaluator.press(importForm.submit, { csv })).private)).toContain("2 new codes given, 3 given already");

    const codes = await exportOf(c.evaluator, "codes");
    expect(Object.keys(codes[0]!)).toEqual(CODEBOOK.codes.map((col) => col.column));
    expect(codes).toHaveLength(5);
    expect(codes.find((r) => r.target_id === a2 && r.code === "scie:equality")).toMatchObject({ kind: "answer", code_label: "SCIE principles: Equality", framework: "scie", code_retired: "no" });
    const whole = JSON.stringify(codes);
    for (const [person] of c.people) expect(whole).not.toContain(person.id);
    expect(whole).not.toContain(c.evaluator.id);
  });

  it("takes the same CSV over HTTP with the evaluator's export token", async () => {
    const c = await cast(world);
    const token = /wse_[\w-]+/.exec(textOf((await c.evaluator.say("export token")).private))![0];
    const post = (body: string, auth = `Bearer ${token}`) => fetch(`${base}/exports/codes?programme=${c.programme.id}`, { method: "POST", headers: { authorization: auth, "content-type": "text/csv" }, body });
    expect((await post("kind,id,code", "Bearer wse_wrong")).status).toBe(401);
    const refused = await post(`kind,id,code\nanswer,${c.answers[0]!.id},nope`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ problems: [{ line: 2, problem: 'There is no code "nope". Add it first with code add.' }] });
    const ok = await post(`kind,id,code\nanswer,${c.answers[0]!.id},ladder:co_design`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ lines: 1, added: 1, already: 0 });
    expect((await world.prisma.auditEntry.findFirstOrThrow({ where: { action: "code.import" } })).detail).toMatchObject({ via: "http", added: 1 });
  });

  it("counts codes by role in the digest, hiding any code given to what fewer than N people said", async () => {
    const c = await cast(world);
    const lines = [
      ...c.answers.map((a) => `answer,${a.id},ladder:co_production`),
      ...c.answers.filter((a) => a.role === "expert_by_experience").map((a) => `answer,${a.id},scie:equality`),
      `answer,${c.answers[0]!.id},scie:diversity`,
      `answer,${c.answers[1]!.id},scie:diversity`,
    ];
    const result = await c.evaluator.press({ action: "coding.import", args: { csv: lines.join("\n") } });
    expect(textOf(result.private)).toContain("14 new codes given");
    const digest = await buildDigest(world.prisma, world.ctx.settings, c.programme.id, new Date("2026-03-09T12:00:00Z"));
    const byKey = new Map(digest.codes.map((x) => [x.key, x]));
    // Two professionals are too few to show apart: all roles together.
    expect(byKey.get("ladder:co_production")).toMatchObject({ given: 7, people: 7, byRole: [{ label: "All roles together", people: 7, hidden: false }] });
    expect(byKey.get("scie:equality")).toMatchObject({ given: 5, people: 5, byRole: [{ label: "Expert by experience", people: 5 }] });
    expect(byKey.get("scie:diversity")).toMatchObject({ given: null, people: null, byRole: [{ hidden: true, people: null }] });
    const text = plainText(digestMessage(digest, { programmeId: c.programme.id }));
    expect(text).toContain("Theme codes so far");
    expect(text).toContain("SCIE principles: Equality: given 5 times, to what 5 people said (Expert by experience 5).");
    expect(text).toContain("SCIE principles: Diversity: given to what fewer than 5 people said, so no numbers are shown.");
  });

  it("takes a person's codes away with their words when they are forgotten, and keeps the others", async () => {
    const c = await cast(world);
    await c.evaluator.press({ action: "coding.import", args: { csv: c.answers.map((a) => `answer,${a.id},ladder:informing`).join("\n") } });
    const [ada] = c.people[0]!;
    const forget = async (who: TestPerson) => who.press(findButton((await who.say("forget-me")).private, "Yes, delete everything").call);
    await forget(ada);
    expect(await world.prisma.codeAssignment.count({ where: { targetId: c.answers[0]!.id } })).toBe(0);
    expect(await world.prisma.codeAssignment.count()).toBe(6);
    // The evaluator who gave the codes is forgotten too: the codes stay, without them.
    await forget(c.evaluator);
    expect(await world.prisma.codeAssignment.count({ where: { codedById: null } })).toBe(6);
  });
});
