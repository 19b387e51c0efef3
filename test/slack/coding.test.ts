import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { SlackWorld, blocksText, textOfVisible, type SlackUser } from "./harness.ts";

/**
 * An evaluator codes an idea in Slack, through the real Bolt app, and finds the code in the next export;
 * and opens the answers view, which shows no names, and codes an answer from it.
 */

let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start();
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const fac: SlackUser = { id: "U0FAC", name: "Fay" };
const jo: SlackUser = { id: "U0JO", name: "Jo" };
const eve: SlackUser = { id: "U0EVE", name: "Eve" };
const channel = { channel: "C0COPROD", name: "co-production" };


async function exportedIdeas(filename: string, count: number) {
  await world.until(() => world.fake.uploads.filter((u) => u.filename === filename).length === count, "the export to be uploaded");
  const upload = world.fake.uploads.filter((u) => u.filename === filename)[count - 1]!;
  const file = upload.content.slice(upload.content.indexOf("\uFEFF")).split(/\r\n--/)[0]!;
  return parse(file, { bom: true, columns: true }) as Record<string, string>[];
}

describe("theme coding on Slack", () => {
  it("lets an evaluator code an idea by its export id in a modal, and the next export carries the code", async () => {
    await world.slash(fac, "setup Mental health review", channel);
    await world.consent(fac);
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    await world.consent(jo);
    await world.slash(jo, "suggest Evening sessions, please");
    world.fake.users.set(eve.id, eve.name);
    await world.slash(fac, `role <@${eve.id}|eve> evaluator`, channel);

    await world.slash(eve, "export ideas", channel);
    const [before] = await exportedIdeas("wesaid-ideas.csv", 1);
    expect(before!.theme_codes).toBe("");

    const picker = await world.slash(eve, `code idea ${before!.idea_id}`);
    expect(textOfVisible(picker.ephemeral)).toContain("Codes for this idea");
    const modal = await world.openForm(eve, picker.ephemeral!, "Choose codes");
    await world.submit(eve, modal, { Codes: ["SCIE principles: Equality", "Co:Create factors: Leadership"] });

    await world.slash(eve, "export ideas", channel);
    const [after] = await exportedIdeas("wesaid-ideas.csv", 2);
    expect(after!.theme_codes).toBe("cocreate_factors:leadership; scie:equality");

    // Jo, an expert by experience, cannot code.
    expect(textOfVisible((await world.slash(jo, `code idea ${before!.idea_id}`)).ephemeral)).not.toContain("Codes for this idea");
  });

  it("lets an evaluator open the answers view with no names or Slack ids, and code an answer from it", async () => {
    await world.slash(fac, "setup Mental health review", channel);
    await world.consent(fac);
    const join = await world.slash(jo, "join", channel);
    await world.press(jo, join.ephemeral!, "Expert by experience");
    await world.consent(jo);
    world.fake.users.set(eve.id, eve.name);
    await world.slash(fac, `role <@${eve.id}|eve> evaluator`, channel);
    // Jo's answer to a written question, seeded as the prompts loop stores it.
    const programme = await world.db.programme.findFirstOrThrow();
    const joId = (await world.db.platformIdentity.findFirstOrThrow({ where: { platform: "slack", externalId: jo.id } })).personId;
    const series = await world.db.promptSeries.create({
      data: { programmeId: programme.id, title: "Weekly check-in", audienceRoles: ["expert_by_experience"], cron: "0 10 * * 2", timeZone: "Europe/London", questions: { create: [{ position: 0, kind: "text", text: "What went well?" }] } },
      include: { questions: true },
    });
    const when = world.clock.now();
    const occurrence = await world.db.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * 86_400_000) } });
    await world.db.promptDelivery.create({ data: { occurrenceId: occurrence.id, personId: joId, role: "expert_by_experience", status: "answered", notBefore: when, sentAt: when, answeredAt: when } });
    const answer = await world.db.promptResponse.create({
      data: { occurrenceId: occurrence.id, questionId: series.questions[0]!.id, personId: joId, role: "expert_by_experience", responseKey: `${occurrence.id}:${joId}`, text: "The room was calm", answeredAt: when, updatedAt: when },
    });

    const view = await world.slash(eve, "answers", channel);
    const text = textOfVisible(view.ephemeral);
    expect(text).toContain('Answers to "Weekly check-in"');
    // One expert was asked: too few to name the role. A made-up id, never a name or a Slack id.
    expect(text).toMatch(/p-[0-9a-f]{16}, Someone: "The room was calm"/);
    for (const words of ["Jo", jo.id, "Fay", fac.id, joId]) expect(text).not.toContain(words);

    await world.press(eve, view.ephemeral!, "Code");
    await world.until(() => world.fake.ephemeralsFor(eve.id).some((m) => textOfVisible(m).includes("Codes for this answer")), "the choice of codes");
    const picker = world.fake.ephemeralsFor(eve.id).find((m) => textOfVisible(m).includes("Codes for this answer"))!;
    expect(textOfVisible(picker)).toContain('"The room was calm"');
    await world.submit(eve, await world.openForm(eve, picker, "Choose codes"), { Codes: ["SCIE principles: Equality"] });
    await world.until(async () => (await world.db.codeAssignment.count({ where: { targetId: answer.id } })) === 1, "the code to be saved");
  });
});
