import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { buildDigest, digestMessage } from "../../../src/digest/index.ts";
import { plainText, type Button, type Message } from "../../../src/messages/model.ts";
import { QUOTES_PER_MESSAGE, report } from "../../../src/member-checks/catalogue.ts";

/**
 * An evaluator codes people's comments on a member check from its report: each comment shown has a
 * Code button, the same choice of codes as for an answer. The codes reach the digest's counts by code
 * and role (small groups hidden), the codes export and the member-checks export.
 */

let world: World;
const isCheck = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "membercheck-answer");
const WEEK = new Date("2026-03-02T00:00:00Z");
let programme: { id: string; channel: string };
let eve: TestPerson;
let checkId: string;
const everyone: TestPerson[] = [];

const codeButtons = (m: Message | undefined): Button[] => (m?.blocks ?? []).flatMap((b) => (b.kind === "buttons" ? b.buttons.filter((x) => x.label === "Code") : []));

beforeAll(async () => {
  world = await World.open();
  world.clock.set("2026-03-02T10:00:00Z");
  programme = await world.programme();
  // The facilitator becomes an admin: not asked, so each role asked has five people.
  await world.prisma.membership.updateMany({ where: { programmeId: programme.id, role: "facilitator" }, data: { role: "admin" } });
  for (const name of ["Ann", "Ben", "Cal", "Dee", "Eva"]) everyone.push(await world.person(programme, name, "expert_by_experience"));
  for (const name of ["Pam", "Pip", "Pol", "Pru", "Pia"]) everyone.push(await world.person(programme, name, "professional", { quotation: name !== "Pia" }));
  eve = await world.person(programme, "Eve", "evaluator");
  const preview = await eve.press(findForm((await eve.say("check")).private, "membercheck-new").submit, { title: "Meeting times", summary: "Evening meetings suit carers better." });
  await eve.press(findButton(preview.private, "Send it").call);
  for (const [i, person] of everyone.entries()) {
    const reply = await person.press(findForm(person.inbox().find(isCheck), "membercheck-answer").submit, { verdict: "partly", comment: `Comment ${i} about evening meetings` });
    expect(reply.error).toBeUndefined();
  }
  checkId = (await world.prisma.memberCheck.findFirstOrThrow()).id;
}, 180_000);
afterAll(() => world.close());

async function chooseCodes(button: Button, labels: string[]) {
  const picker = await eve.press(button.call);
  expect(textOf(picker.private)).toContain("Codes for this check answer");
  const form = findForm(picker.private, "coding");
  const input = form.inputs[0]!;
  if (input.kind !== "multi") throw new Error("not a multi-choice");
  const values = labels.map((l) => input.options.find((o) => o.label === l)!.value);
  const saved = await eve.press(form.submit, { codes: values.join("\n") });
  expect(textOf(saved.private)).toContain(`Saved. This check answer has ${labels.length}`);
  return picker;
}

describe("coding comments on a member check from its report", () => {
  it("shows a Code button under each comment that may be shown", async () => {
    const report = (await eve.press({ action: "membercheck.report", args: { checkId } })).private;
    // Pia did not agree to be quoted: her words are not shown, so there is nothing of hers to code here.
    expect(codeButtons(report)).toHaveLength(9);
    expect(textOf(report)).toContain('Expert by experience (Partly): "Comment 0 about evening meetings"');
    // The button opens the coding loop's own choice, with the words as the report shows them.
    const picker = await eve.press(codeButtons(report)[0]!.call);
    expect(textOf(picker.private)).toMatch(/"Comment \d about evening meetings"/);
  });

  it("carries the codes to the digest's counts by code and role, hiding a code given to fewer than five people's words", async () => {
    const buttons = codeButtons((await eve.press({ action: "membercheck.report", args: { checkId } })).private);
    // Every comment shown gets "Equality"; one also gets "Co-design".
    for (const [i, button] of buttons.entries()) await chooseCodes(button, i === 0 ? ["SCIE principles: Equality", "Ladder of participation: Co-design"] : ["SCIE principles: Equality"]);
    world.clock.set("2026-03-03T10:00:00Z");
    const d = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
    const equality = d.codes.find((c) => c.key === "scie:equality")!;
    expect(equality).toMatchObject({ given: 9, people: 9 });
    // Four professionals' words were coded: too few to show alone, so the roles are put together.
    expect(equality.byRole.map((r) => [r.label, r.people])).toEqual([["All roles together", 9]]);
    expect(d.codes.find((c) => c.key === "ladder:co_design")).toMatchObject({ given: null, people: null });
    const text = plainText(digestMessage(d, { programmeId: programme.id }));
    expect(text).toContain("SCIE principles: Equality: given 9 times, to what 9 people said");
    expect(text).toContain("Ladder of participation: Co-design: given to what fewer than 5 people said, so no numbers are shown.");
  });

  it("puts the codes in the member-checks export and the codes export", async () => {
    const file = (await eve.say("export checks")).private!.blocks.find((b) => b.kind === "file");
    const rows = parse(file && file.kind === "file" ? file.content : "", { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.theme_codes === "scie:equality")).toHaveLength(8);
    expect(rows.filter((r) => r.theme_codes === "ladder:co_design; scie:equality")).toHaveLength(1);
    // Pia's comment was not shown, so not coded from chat (a file can still bring codes in: code import).
    expect(rows.filter((r) => r.theme_codes === "")).toHaveLength(1);
    const codes = (await eve.say("export codes")).private!.blocks.find((b) => b.kind === "file");
    const coded = parse(codes && codes.kind === "file" ? codes.content : "", { bom: true, columns: true }) as Record<string, string>[];
    expect(coded.filter((r) => r.kind === "check")).toHaveLength(10);
  });
});

describe("a long report", () => {
  it("shows fifteen comments a message, each with its Code button, and a Show more button for the rest", async () => {
    const quotes = Array.from({ length: 20 }, (_, i) => ({ responseId: `r${i}`, label: "Professional", verdict: "yes" as const, text: `Words ${i}` }));
    const base = { checkId: "c1", title: "Meeting times", sentOn: "2 March 2026", rows: [], all: null, minGroupSize: 5, quotes, notQuoted: 0, canCode: true };
    const first = report({ ...base, offset: 0 });
    expect(codeButtons(first).map((b) => b.call.args.id)).toEqual(quotes.slice(0, QUOTES_PER_MESSAGE).map((q) => q.responseId));
    expect(textOf(first)).toContain("These are comments 1 to 15 of 20.");
    expect(findButton(first, "Show more").call).toEqual({ action: "membercheck.report", args: { checkId: "c1", offset: "15" } });
    const second = await eve.press({ action: "membercheck.report", args: { checkId, offset: "15" } });
    expect(second.error).toBeUndefined();
    expect(codeButtons(report({ ...base, offset: 15 }))).toHaveLength(5);
    expect(codeButtons(report({ ...base, offset: 0, canCode: false }))).toEqual([]);
  });
});
