import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends, freshPostgres } from "../support/databases.ts";
import { FakeTeams, cardText, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";
import { TeamsWorld } from "./harness.ts";

/**
 * The same Teams activity (one activity id) delivered many times at once acts
 * once, through the real CloudAdapter; a delivery whose action failed is
 * retried by the next copy, not dropped.
 */
describe.each(backends())("duplicate Teams activities on %s", (backend) => {
  let world: TeamsWorld;
  let database: { url: string; drop(): Promise<void> } | undefined;

  beforeAll(async () => {
    database = backend === "postgres" ? await freshPostgres() : undefined;
    world = await TeamsWorld.open(database ? { DATABASE_URL: database.url } : {});
  }, 120_000);
  afterAll(async () => {
    await world.close();
    await database?.drop();
  });
  beforeEach(() => world.reset());
  afterEach(() => expect(world.fake.unexpected()).toEqual([]));

  async function consent(user: TeamsUser): Promise<void> {
    const message = world.messageWith(user.chat, "Save my choices");
    const card = FakeTeams.card(message);
    const answer = await world.send(world.build.execute(user, findAction(card, "Save my choices"), { participation: "yes", quotation: "yes" }, { replyToId: message.id }));
    expect(cardText(answer.body.value)).toContain("Your choices are saved");
  }

  /** A programme with a facilitator, and Jo as an expert by experience who said yes. */
  async function programmeWithJo(): Promise<TeamsUser> {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Mental health review"));
    await consent(fac);
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.inChannel(jo, "join"));
    const message = world.messageWith(jo.chat, "Expert by experience");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(message), "Expert by experience"), {}, { replyToId: message.id }));
    await consent(jo);
    return jo;
  }

  const ideas = (text: string) => world.db.feedbackItem.count({ where: { text } });
  const sentWith = (words: string) => world.fake.messages().filter((m) => JSON.stringify(m.body).includes(words)).length;

  it("20 copies of one activity at once: one idea, one set of messages, every copy answered 200", async () => {
    const jo = await programmeWithJo();
    await world.send(world.build.say(jo, "suggest Agendas a week ahead"));
    const perDelivery = sentWith("Agendas a week ahead");
    expect(perDelivery).toBeGreaterThan(0);

    const activity = world.build.say(jo, "suggest Free parking for carers");
    const answers = await Promise.all(Array.from({ length: 20 }, () => world.post(activity)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    await world.app.core.flush();
    expect(await ideas("Free parking for carers")).toBe(1);
    expect(sentWith("Free parking for carers")).toBe(perDelivery);
  });

  it("a delivery whose action failed part way is retried by the next copy, not dropped", async () => {
    const jo = await programmeWithJo();
    const suggest = world.app.core.declarations.find((d) => d.action === "feedback.suggest")!;
    const invoke = suggest.invoke;
    let failures = 1;
    suggest.invoke = async (...args) => {
      if (failures-- > 0) throw new Error("the process died here");
      return invoke(...args);
    };
    try {
      const activity = world.build.say(jo, "suggest Step-free entrance");
      await world.post(activity);
      await world.app.core.flush();
      expect(await ideas("Step-free entrance")).toBe(0);
      expect((await world.post(activity)).status).toBe(200);
      await world.app.core.flush();
      expect(await ideas("Step-free entrance")).toBe(1);
      await world.post(activity);
      await world.app.core.flush();
      expect(await ideas("Step-free entrance")).toBe(1);
    } finally {
      suggest.invoke = invoke;
    }
  });
});
