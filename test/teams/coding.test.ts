import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { TeamsWorld, choose } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

/**
 * An evaluator codes an idea in Teams, through the real CloudAdapter, and finds the code in the export;
 * and opens the answers view, which shows no names, and codes an answer from it.
 */

let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unexpected()).toEqual([]);
  expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
});



describe("theme coding on Teams", () => {
  it("lets an evaluator code an idea from a card, and the ideas export carries the code", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    const jo = await world.joinAsExpert("Jo Carer");
    await world.send(world.build.say(jo, "suggest Evening sessions, please"));
    const eve = await world.addEvaluator(fac);

    await world.send(world.build.say(eve, "export token"));
    const token = /wse_[\w-]+/.exec(cardText(world.lastCard(eve.chat)))![0];
    const programme = await world.db.programme.findFirstOrThrow();
    const ideas = async () => {
      const res = await fetch(`${world.app.url}/exports/ideas.csv?programme=${programme.id}`, { headers: { authorization: `Bearer ${token}` } });
      return parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    };
    const [idea] = await ideas();

    await world.send(world.build.say(eve, `code idea ${idea!.idea_id}`));
    const card = world.lastCard(eve.chat);
    expect(cardText(card)).toContain("Codes for this idea");
    await world.send(world.build.execute(eve, findAction(card, "Save codes"), { codes: choose(card, ["Ladder of participation: Co-design", "NHS England values for co-production: Sharing power"]) }));
    expect(cardText(world.lastCard(eve.chat))).toContain("Saved. This idea has 2 codes.");

    const [after] = await ideas();
    expect(after!.theme_codes).toBe("ladder:co_design; nhse_values:sharing_power");
  });

  it("lets an evaluator open the answers view with no names or Teams ids, and code an answer from a card", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await world.consent(fac);
    const jo = await world.joinAsExpert("Jo Carer");
    const eve = await world.addEvaluator(fac);
    // Jo's answer to a written question, seeded as the prompts loop stores it.
    const programme = await world.db.programme.findFirstOrThrow();
    const joId = (await world.db.platformIdentity.findFirstOrThrow({ where: { platform: "teams", externalId: jo.aadObjectId } })).personId;
    const series = await world.db.promptSeries.create({
      data: { programmeId: programme.id, title: "Weekly check-in", audienceRoles: ["expert_by_experience"], cron: "0 10 * * 2", timeZone: "Europe/London", questions: { create: [{ position: 0, kind: "text", text: "What went well?" }] } },
      include: { questions: true },
    });
    const when = new Date("2026-03-02T10:00:00Z");
    const occurrence = await world.db.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * 86_400_000) } });
    await world.db.promptDelivery.create({ data: { occurrenceId: occurrence.id, personId: joId, role: "expert_by_experience", status: "answered", notBefore: when, sentAt: when, answeredAt: when } });
    const answer = await world.db.promptResponse.create({
      data: { occurrenceId: occurrence.id, questionId: series.questions[0]!.id, personId: joId, role: "expert_by_experience", responseKey: `${occurrence.id}:${joId}`, text: "The room was calm", answeredAt: when, updatedAt: when },
    });

    await world.send(world.build.say(eve, "answers"));
    const view = world.lastCard(eve.chat);
    const text = cardText(view);
    expect(text).toContain('Answers to "Weekly check-in"');
    expect(text).toMatch(/p-[0-9a-f]{16}, Someone: "The room was calm"/);
    for (const words of ["Jo Carer", jo.id, jo.aadObjectId, "Sam Facilitator", joId]) expect(text).not.toContain(words);

    await world.send(world.build.execute(eve, findAction(view, "Code")));
    const picker = world.lastCard(eve.chat);
    expect(cardText(picker)).toContain("Codes for this answer");
    expect(cardText(picker)).toContain('"The room was calm"');
    await world.send(world.build.execute(eve, findAction(picker, "Save codes"), { codes: choose(picker, ["SCIE principles: Equality"]) }));
    expect(cardText(world.lastCard(eve.chat))).toContain("Saved. This answer has 1 code.");
    expect(await world.db.codeAssignment.count({ where: { targetId: answer.id } })).toBe(1);
  });
});
