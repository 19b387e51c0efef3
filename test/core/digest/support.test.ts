import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { buildDigest, digestMessage, type DigestData } from "../../../src/digest/index.ts";
import { digestPage } from "../../../src/digest/page.ts";
import { plainText, type Button } from "../../../src/messages/model.ts";
import { startExport } from "../../../src/evidence/index.ts";
import type { Role } from "../../../src/roles.ts";

/**
 * "This matters to me too" in the evaluators' evidence: support per open idea in
 * the weekly digest (text, web page and figures) and a supporters count per idea
 * in the ideas export. The expected numbers come from the plan below, not from the digest's code.
 */

const MIN = 2;
const WEEK = new Date("2026-03-02T00:00:00Z");
const NEXT_WEEK = "2026-03-10T10:00:00Z";

type Name = "E1" | "E2" | "E3" | "E4" | "P1" | "P2";
const ROLES: Record<Name, Role> = { E1: "expert_by_experience", E2: "expert_by_experience", E3: "expert_by_experience", E4: "expert_by_experience", P1: "professional", P2: "professional" };
const IDEAS = ["Evening panels so carers can come", "Pay bus fares on the day", "Plain English letters", "A quiet room at meetings"];
/** Who says each idea matters to them too in the digest's week. Idea 3 is then done, so it is no longer open. */
const IN_WEEK: Record<number, Name[]> = { 1: ["E1", "E2", "E3", "P1"], 2: ["E1", "E4", "P2"], 3: ["E2", "P1", "P2"], 4: [] };
const DONE_IN_WEEK = [3];
/** After the week: counted by the export (support today), not by the digest. */
const AFTER_WEEK: Record<number, Name[]> = { 2: ["E2"] };

let world: World;
let people: Record<Name, TestPerson>;
let programme: Awaited<ReturnType<World["programme"]>>;
let evaluator: TestPerson;
let digest: DigestData;

beforeAll(async () => {
  world = await World.open("embedded", { minGroupSize: MIN });
  programme = await world.programme();
  const priya = await world.person(programme, "Priya", "commissioner");
  const jo = await world.person(programme, "Jo", "expert_by_experience");
  evaluator = await world.person(programme, "Eve", "evaluator");
  people = {} as Record<Name, TestPerson>;
  for (const name of Object.keys(ROLES) as Name[]) people[name] = await world.person(programme, name, ROLES[name]);
  const follow: Button["call"][] = [];
  for (const text of IDEAS) {
    await jo.say(`suggest ${text}`);
    follow.push(findButton(world.messenger.toChannel(programme.channel).at(-1), "This matters to me too").call);
  }
  for (const [number, names] of Object.entries(IN_WEEK)) for (const name of names) await people[name].press(follow[Number(number) - 1]!, {}, "channel");
  for (const number of DONE_IN_WEEK) await priya.say(`update #${number} We have rewritten the letters`);
  digest = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
  world.clock.set(NEXT_WEEK);
  for (const [number, names] of Object.entries(AFTER_WEEK)) for (const name of names) await people[name].press(follow[Number(number) - 1]!, {}, "channel");
});
afterAll(() => world.close());

/** From the plan: open ideas with support, most first, then by number. */
function expectedSupport() {
  return Object.entries(IN_WEEK)
    .map(([n, names]) => ({ number: Number(n), supporters: names.length }))
    .filter((i) => i.supporters > 0 && !DONE_IN_WEEK.includes(i.number))
    .sort((a, b) => b.supporters - a.supporters || a.number - b.number);
}

/** From the plan: distinct people following an open idea, per role. */
function expectedPeopleByRole(): Partial<Record<Role, number>> {
  const names = new Set(Object.entries(IN_WEEK).filter(([n]) => !DONE_IN_WEEK.includes(Number(n))).flatMap(([, names]) => names));
  const byRole: Partial<Record<Role, number>> = {};
  for (const name of names) byRole[ROLES[name]] = (byRole[ROLES[name]] ?? 0) + 1;
  return byRole;
}

describe("support per idea in the weekly digest", () => {
  it("counts the people who follow each open idea, and who they are by role", () => {
    expect(digest.feedback.support.ideas).toEqual(expectedSupport());
    expect(digest.feedback.support.ideasWithSupport).toBe(expectedSupport().length);
    expect(digest.feedback.support.followsThisWeek).toBe(Object.values(IN_WEEK).flat().length);
    const shown = Object.fromEntries(digest.feedback.support.supportersByRole.filter((r) => !r.hidden).map((r) => [r.label, r.people]));
    const expected = expectedPeopleByRole();
    expect(shown).toEqual({ "Expert by experience": expected.expert_by_experience, Professional: expected.professional });
  });

  it("says it in the text and on the web page, naming nobody", () => {
    const text = plainText(digestMessage(digest, { programmeId: programme.id }));
    expect(text).toContain("Open ideas that matter to other people too: 2. Most support first: #1: 4 people; #2: 3 people.");
    expect(text).toContain("People who follow an open idea: Expert by experience 4; Professional 2.");
    expect(text).toContain(`Times people said "this matters to me too" this week: 10.`);
    const page = digestPage(digest, [], { expires: new Date(NEXT_WEEK) });
    expect(page).toContain(`<tr><th scope="row">#1</th><td>4</td></tr>`);
    expect(page).toContain(`<tr><th scope="row">#2</th><td>3</td></tr>`);
    expect(page).not.toContain(`<th scope="row">#3</th>`);
    for (const name of ["Jo", "Priya", "E1", "P2"]) expect(text).not.toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("hides the supporters' roles when a role has too few people", async () => {
    const lonely = await buildDigest(world.prisma, { ...world.ctx.settings, minGroupSize: 3 }, programme.id, WEEK);
    // Per idea counts are not by role, so they stay; two professionals is fewer than 3, so no role is shown on its own.
    expect(lonely.feedback.support.ideas).toEqual(expectedSupport());
    expect(lonely.feedback.support.supportersByRole.some((r) => r.label === "Professional" && !r.hidden)).toBe(false);
    const text = plainText(digestMessage(lonely, { programmeId: programme.id }));
    expect(text).not.toContain("Professional 2");
    expect(text).not.toContain("Expert by experience 4");
  });

  it("gives the export a supporters count per idea, as it stands today", async () => {
    const { stream } = await startExport(world.ctx, { programmeId: programme.id, readerId: evaluator.id, request: { what: "ideas", format: "csv" }, via: "chat" });
    let csv = "";
    for await (const chunk of stream) csv += String(chunk);
    const rows = parse(csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const supporters = Object.fromEntries(rows.filter((r) => r.event === "raised").map((r) => [r.idea_number, r.supporters]));
    const today = (n: number) => String((IN_WEEK[n] ?? []).length + (AFTER_WEEK[n] ?? []).length);
    expect(supporters).toEqual({ "1": today(1), "2": today(2), "3": today(3), "4": today(4) });
    expect(rows.every((r) => r.supporters === supporters[r.idea_number!])).toBe(true);
  });
});

describe("followers hear what happens", () => {
  it("a follower of the idea that was done was told what was done", () => {
    const told = people.E2.inbox().map(textOf);
    expect(told.some((t) => t.includes("News about idea #3, which matters to you") && t.includes("We have rewritten the letters"))).toBe(true);
  });
});
