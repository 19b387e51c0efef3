import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, textOf } from "../../support/world.ts";
import { ROLE_EXPLAINED } from "../../../src/people/catalogue.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("roles explained at the outset", () => {
  it("the welcome says in a sentence what each role does, and how to see who is who", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const welcome = textOf(jo.inbox().find((m) => m.summary.startsWith("Welcome"))!);
    expect(welcome).toContain("Who is who");
    expect(welcome).toContain(`Commissioner: ${ROLE_EXPLAINED.commissioner}`);
    expect(welcome).toContain(`Evaluator: ${ROLE_EXPLAINED.evaluator}`);
    expect(welcome).toContain("Type roles to see who is in the programme.");
  });

  it("roles lists members by role with names, and an evaluator sees numbers only", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await world.person(programme, "Ann", "expert_by_experience");
    await world.person(programme, "Dr Patel", "professional");
    await world.person(programme, "Kim", "commissioner");
    const eve = await world.person(programme, "Eve", "evaluator");

    const seen = textOf((await jo.say("roles")).private);
    expect(seen).toContain("Who is in Carers' support review");
    expect(seen).toContain("Expert by experience (2 people): Ann, Jo");
    expect(seen).toContain("Professional (1 person): Dr Patel");
    expect(seen).toContain("Commissioner (1 person): Kim");
    expect(seen).toContain(ROLE_EXPLAINED.commissioner);

    const counted = textOf((await eve.say("roles")).private);
    expect(counted).toContain("Expert by experience (2 people)");
    for (const name of ["Ann", "Jo", "Dr Patel", "Kim", "Eve", "Facilitator 1"]) expect(counted).not.toContain(name);
    expect(counted).toContain("numbers, not names");
  });

  it("someone outside the programme cannot see who is in it", async () => {
    const programme = await world.programme("Carers' support review");
    await world.person(programme, "Jo", "expert_by_experience");
    const other = await world.programme("Another programme");
    const sam = await world.person(other, "Sam", "expert_by_experience");
    const reply = await sam.press({ action: "people.roles", args: { programmeId: programme.id } });
    expect(reply.error).toBeDefined();
    expect(textOf(reply.private)).not.toContain("Jo");
  });
});
