import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

/** An evaluator codes an idea in Teams, through the real CloudAdapter, and finds the code in the export. */

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

async function consent(user: TeamsUser): Promise<void> {
  const message = world.messageWith(user.chat, "Save my choices");
  await world.send(world.build.execute(user, findAction(FakeTeams.card(message), "Save my choices"), { participation: "yes", quotation: "yes" }, { replyToId: message.id }));
}

/** The values of the choices with these titles in the card's multi-choice, as Teams sends them: joined by commas. */
function choose(card: unknown, titles: string[]): string {
  const choices: { title: string; value: string }[] = [];
  JSON.stringify(card, (key, value) => {
    if (value && typeof value === "object" && value.type === "Input.ChoiceSet") choices.push(...value.choices);
    return value;
  });
  return titles.map((t) => choices.find((c) => c.title === t)!.value).join(",");
}

describe("theme coding on Teams", () => {
  it("lets an evaluator code an idea from a card, and the ideas export carries the code", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    await consent(fac);
    const jo = await world.joinAsExpert("Jo Carer");
    await world.send(world.build.say(jo, "suggest Evening sessions, please"));
    const eve = await world.install(teamsUser("Eve Evaluator"));
    world.fake.members.set(eve.id, { aadObjectId: eve.aadObjectId, name: eve.name });
    await world.send(world.build.inChannel(fac, `role @${eve.name} evaluator`, [eve]));

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
});
