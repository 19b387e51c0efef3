import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, textOf, type TestPerson } from "../../support/world.ts";
import { recordContribution } from "../../../src/people/index.ts";
import { ROLE_LABELS, nameWithRole, nameWithoutRole } from "../../../src/roles.ts";
import { SAMPLE_PEOPLE } from "../../../src/demo/seed.ts";
import { PERSONAS } from "../../../adapters/local/personas.ts";
import type { Message } from "../../../src/messages/model.ts";

/**
 * The playground's people carry their role in their name ("Sam (expert by
 * experience)"). Every view that shows a name with a role says the role once.
 */

const LABELS = Object.values(ROLE_LABELS);

/** Lines where a role in brackets is said again, such as "Sam (expert by experience) (Expert by experience)" or "Sam (expert by experience),Expert by experience". */
function doubled(text: string): string[] {
  const times = (line: string, label: string) => (line.toLowerCase().match(new RegExp(`\\b${label.toLowerCase()}\\b`, "g")) ?? []).length;
  return text.split("\n").filter((line) => LABELS.some((label) => line.toLowerCase().includes(`(${label.toLowerCase()})`) && times(line, label) > 1));
}

const fileIn = (m: Message | undefined) => {
  const file = m?.blocks.find((b) => b.kind === "file");
  if (!file || file.kind !== "file") throw new Error("no file in the message");
  return file.content;
};

let world: World;
const shown: Record<string, string> = {};

beforeAll(async () => {
  world = await World.open();
  const programme = await world.programme("Carers' support review");
  const people: Record<string, TestPerson> = {};
  for (const p of [...PERSONAS, ...SAMPLE_PEOPLE]) people[p.displayName] = await world.person(programme, p.displayName, p.role);
  const alex = people["Alex (facilitator)"]!;
  const priya = people["Priya (commissioner)"]!;
  const sam = people["Sam (expert by experience)"]!;
  const jordan = people["Jordan (professional)"]!;

  shown.roleAssigned = textOf((await alex.say(`role <@${priya.externalId}> commissioner`)).private);
  await priya.say(`together Rewrite the leaflet with <@${sam.externalId}> <@${jordan.externalId}>`);
  shown.coOwned = textOf(sam.lastMessage());
  for (const p of Object.values(people)) {
    await recordContribution(world.prisma, world.ctx.settings, { personId: p.id, programmeId: programme.id, kind: "panel", sourceRef: "panel-1", occurredAt: world.clock.now() });
  }
  const totals = (await alex.say("contribution-totals")).private;
  shown.totals = textOf(totals);
  shown.totalsFile = fileIn(totals);
  shown.roster = textOf((await alex.say("roles")).private);
  world.clock.set("2026-04-13T09:00:00Z");
  shown.quiet = textOf((await alex.say("quiet")).private);
  shown.picker = PERSONAS.map((p) => p.displayName).join("\n");
});
afterAll(() => world.close());

describe("a name with a role says the role once", () => {
  it("in one rule: a role already in the name is not repeated", () => {
    expect(nameWithRole("Sam (expert by experience)", "expert_by_experience")).toBe("Sam (Expert by experience)");
    expect(nameWithRole("Ayesha (carer)", "expert_by_experience")).toBe("Ayesha (carer) (Expert by experience)");
    expect(nameWithRole("Priya", "commissioner")).toBe("Priya (Commissioner)");
    expect(nameWithoutRole("Dr Lee (GP)")).toBe("Dr Lee (GP)");
    expect(nameWithoutRole("(Commissioner)")).toBe("(Commissioner)");
  });

  it.each(["roleAssigned", "coOwned", "totals", "totalsFile", "roster", "quiet", "picker"])("in the %s view", (view) => {
    expect(shown[view]).toBeTruthy();
    expect(doubled(shown[view]!)).toEqual([]);
  });

  it("still names the people, each with their role", () => {
    expect(shown.roleAssigned).toContain("Priya is now Commissioner");
    expect(shown.coOwned).toMatch(/With: (Priya \(Commissioner\), Jordan \(Professional\)|Jordan \(Professional\), Priya \(Commissioner\))/);
    expect(shown.totalsFile).toContain("Sam,Expert by experience");
    expect(shown.roster).toMatch(/Expert by experience \(\d people\): .*Sam\b/);
    expect(shown.quiet).toContain("Sam (Expert by experience)");
  });
});
