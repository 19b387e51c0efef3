import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, findForm, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { buildDigest, digestMessage } from "../../../src/digest/index.ts";
import { digestPage } from "../../../src/digest/page.ts";
import { checkBreakdown } from "../../../src/member-checks/index.ts";
import { CODEBOOK, pseudonym } from "../../../src/evidence/index.ts";
import { plainText, type Message } from "../../../src/messages/model.ts";
import { erasePerson } from "../../../src/people/erasure.ts";

/**
 * Member checks in the evidence: the weekly digest's "Checking with people" and the member-checks
 * export. Every figure below is counted by hand from the answers given in the test.
 */

let world: World;
const SUMMARY = "People told us that evening meetings suit carers better.";
const isCheck = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "membercheck-answer");
const WEEK1 = new Date("2026-03-02T00:00:00Z");
const WEEK2 = new Date("2026-03-09T00:00:00Z");
const WEEK3 = new Date("2026-03-16T00:00:00Z");
const WEEK4 = new Date("2026-03-23T00:00:00Z");

let programme: { id: string; channel: string };
let eve: TestPerson;
let experts: TestPerson[];
let pros: TestPerson[];

async function answer(person: TestPerson, verdict: string, comment = "") {
  const reply = await person.press(findForm(person.inbox().find(isCheck), "membercheck-answer").submit, { verdict, comment });
  expect(reply.error).toBeUndefined();
}

beforeAll(async () => {
  world = await World.open();
  world.clock.set("2026-03-02T10:00:00Z");
  programme = await world.programme();
  // The facilitator becomes an admin: not asked, so every role asked has five people and roles can be shown.
  await world.prisma.membership.updateMany({ where: { programmeId: programme.id, role: "facilitator" }, data: { role: "admin" } });
  experts = [];
  for (const [name, quotation] of [["Ann", true], ["Ben", true], ["Cal", true], ["Dee", true], ["Eva", false]] as const) experts.push(await world.person(programme, name, "expert_by_experience", { quotation }));
  pros = [];
  for (const name of ["Pam", "Pip", "Pol", "Pru", "Pia"]) pros.push(await world.person(programme, name, "professional"));
  eve = await world.person(programme, "Eve", "evaluator");

  const form = findForm((await eve.say("check")).private, "membercheck-new");
  const preview = await eve.press(form.submit, { title: "Meeting times", summary: SUMMARY, closesAt: "2026-03-20 17:00" });
  await eve.press(findButton(preview.private, "Send it").call);
  // Week 1: experts yes, partly, no, and Eva (not quoted) no; professionals yes, yes.
  await answer(experts[0]!, "yes", "Evenings work for me.");
  await answer(experts[1]!, "partly");
  await answer(experts[2]!, "no");
  await answer(experts[4]!, "no", "Eva's words that must never be shown");
  await answer(pros[0]!, "yes");
  await answer(pros[1]!, "yes", "Papers did come late.");
  // Week 2: Dee says yes.
  world.clock.set("2026-03-10T10:00:00Z");
  await answer(experts[3]!, "yes");
}, 180_000);
afterAll(() => world.close());

describe("member checks in the weekly digest", () => {
  it("shows a check sent that week: asked, yes / partly / no / no reply by role, as at the week's end", async () => {
    const d = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK1);
    expect(d.memberChecks).toHaveLength(1);
    const c = d.memberChecks[0]!;
    expect(c).toMatchObject({ title: "Meeting times", open: true, asked: 10 });
    // 10 asked; 6 answered in week 1: yes 1 + 2, partly 1, no 2; no reply 10 - 6.
    expect(c.all).toEqual({ yes: 3, partly: 1, no: 2, noReply: 4 });
    expect(c.byRole.map((r) => [r.label, r.people, r.value])).toEqual([
      ["Expert by experience", 5, { yes: 1, partly: 1, no: 2, noReply: 1 }],
      ["Professional", 5, { yes: 2, partly: 0, no: 0, noReply: 3 }],
    ]);
    const text = plainText(digestMessage(d, { programmeId: programme.id }));
    expect(text).toContain(
      '• "Meeting times" (sent 2 March 2026, still open): 10 people asked. Did we get this right? yes 3, partly 1, no 2, no reply 4. ' +
        "By role: Expert by experience (5 people): yes 1, partly 1, no 2, no reply 1; Professional (5 people): yes 2, partly 0, no 0, no reply 3.",
    );
    const html = digestPage(d, [], { expires: new Date("2026-03-20T00:00:00Z") });
    expect(html).toContain("<h2>Checking with people</h2>");
    expect(html).toContain("<th scope=\"row\">Meeting times (sent 2 March 2026, still open)</th><td>10</td><td>3</td><td>1</td><td>2</td><td>4</td>");
    for (const name of ["Ann", "Eva", "Pam", "Eve"]) expect(text + html).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("keeps showing it while open, with later answers; a closed check's last week says so; then it is gone", async () => {
    const week2 = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK2);
    expect(week2.memberChecks[0]!.all).toEqual({ yes: 4, partly: 1, no: 2, noReply: 3 });
    expect(week2.memberChecks[0]!.byRole[0]!.value).toEqual({ yes: 2, partly: 1, no: 2, noReply: 0 });
    const week3 = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK3);
    expect(week3.memberChecks[0]!.open).toBe(false);
    expect(plainText(digestMessage(week3, { programmeId: programme.id }))).toContain('"Meeting times" (sent 2 March 2026, closed 20 March 2026)');
    const week4 = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK4);
    expect(week4.memberChecks).toEqual([]);
    expect(plainText(digestMessage(week4, { programmeId: programme.id }))).toContain("No checks with people were sent or open this week.");
  });

  it("puts roles together when any role asked is small, and hides everything when fewer than N were asked", () => {
    const answers = [{ role: "expert_by_experience" as const, verdict: "yes" }, { role: "commissioner" as const, verdict: "no" }];
    const mixed = checkBreakdown({ expert_by_experience: 5, commissioner: 1 }, answers, 5);
    expect(mixed.byRole.map((r) => r.label)).toEqual(["All roles together"]);
    expect(mixed.all).toEqual({ yes: 1, partly: 0, no: 1, noReply: 4 });
    const few = checkBreakdown({ expert_by_experience: 3 }, answers.slice(0, 1), 5);
    expect(few).toEqual({ asked: null, all: null, byRole: [{ label: "All roles together", people: null, hidden: true, value: null }] });
  });
});

describe("the member-checks export", () => {
  it("has a row per answer: pseudonymous id, role, the check, the answer, and words only with quoting consent", async () => {
    const reply = await eve.say("export checks");
    const file = reply.private!.blocks.find((b) => b.kind === "file");
    if (!file || file.kind !== "file") throw new Error(`no file in: ${textOf(reply.private)}`);
    expect(file.filename).toBe("wesaid-member-checks.csv");
    const rows = parse(file.content, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(CODEBOOK["member-checks"].map((c) => c.column));
    expect(rows).toHaveLength(7);
    const secret = world.ctx.settings.answerSecret;
    const rowOf = (p: TestPerson) => rows.find((r) => r.person === pseudonym(secret, programme.id, p.id))!;
    expect(rowOf(experts[0]!)).toMatchObject({ role: "Expert by experience", answer: "yes", comment: "Evenings work for me.", text_withheld: "", asked: "10", check: "Meeting times", summary: SUMMARY });
    expect(rowOf(experts[4]!)).toMatchObject({ answer: "no", comment: "", text_withheld: "no consent to quote" });
    expect(rowOf(pros[1]!)).toMatchObject({ role: "Professional", comment: "Papers did come late." });
    expect(rows.map((r) => r.answer).sort()).toEqual(["no", "no", "partly", "yes", "yes", "yes", "yes"]);
    for (const name of ["Ann", "Eva", "Pip"]) expect(file.content).not.toMatch(new RegExp(`\\b${name}\\b`));
    expect(file.content).not.toContain("Eva's words");
    // A range: only answers first given in it.
    const later = await eve.say("export checks from 2026-03-09");
    const laterFile = later.private!.blocks.find((b) => b.kind === "file");
    expect(laterFile && laterFile.kind === "file" ? (parse(laterFile.content, { bom: true, columns: true }) as unknown[]).length : -1).toBe(1);
  });

  it("takes theme codes on comments (code check <response_id>), carries them in theme_codes, and a forgotten person takes them along", async () => {
    const exported = async () => {
      const reply = await eve.say("export checks jsonl");
      const file = reply.private!.blocks.find((b) => b.kind === "file");
      return file && file.kind === "file" ? file.content.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>) : [];
    };
    const ann = pseudonym(world.ctx.settings.answerSecret, programme.id, experts[0]!.id);
    const pip = pseudonym(world.ctx.settings.answerSecret, programme.id, pros[1]!.id);
    const rows = await exported();
    const annRow = rows.find((r) => r.person === ann)!;
    const picker = await eve.say(`code check ${annRow.response_id}`);
    expect(textOf(picker.private)).toContain("Codes for this check answer");
    expect(textOf(picker.private)).toContain('"Evenings work for me."');
    const form = findForm(picker.private, "coding");
    const input = form.inputs[0]!;
    if (input.kind !== "multi") throw new Error("not a multi-choice");
    const equality = input.options.find((o) => o.label === "SCIE principles: Equality")!.value;
    expect((await eve.press(form.submit, { codes: equality })).error).toBeUndefined();
    // A file coded elsewhere comes back with the export's own columns.
    const pipRow = rows.find((r) => r.person === pip)!;
    const imported = await eve.press({ action: "coding.import", args: { csv: `response_id,theme_codes\n${pipRow.response_id},scie:equality` } });
    expect(textOf(imported.private)).toContain("Brought in 1 line");
    const after = await exported();
    expect(after.find((r) => r.person === ann)!.theme_codes).toBe("scie:equality");
    expect(after.find((r) => r.person === pip)!.theme_codes).toBe("scie:equality");
    // The codes export names what was coded.
    const codesFile = (await eve.say("export codes")).private!.blocks.find((b) => b.kind === "file");
    expect(codesFile && codesFile.kind === "file" ? codesFile.content : "").toContain(`check,${annRow.response_id},scie:equality`);

    await erasePerson(world.ctx, experts[0]!.id);
    expect(await world.prisma.codeAssignment.count({ where: { targetId: annRow.response_id } })).toBe(0);
    expect(await world.prisma.codeAssignment.count({ where: { targetId: pipRow.response_id } })).toBe(1);
  });
});
