import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import type { Interaction, Reply } from "../../../src/interactions.ts";

/** Issue 11: nobody gets a Person row before they join and consent. */
describe.each(backends())("a stranger on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  const STRANGER = "U-stranger";
  async function asStranger(input: Interaction["input"], place: Interaction["place"] = { kind: "direct" }): Promise<Reply> {
    const reply = await world.core.handle({ platform: "local", user: { externalId: STRANGER, displayName: "Sam Stranger" }, place, input });
    await world.core.flush();
    return reply;
  }
  const say = (text: string, place?: Interaction["place"]) => asStranger({ kind: "command", text, mentions: [] }, place);
  const press = (action: string, args: Record<string, string> = {}, place?: Interaction["place"]) => asStranger({ kind: "action", action, args, people: {} }, place);

  /** Everything in the two tables, as a reviewer would dump them. */
  async function dump() {
    const people = await world.prisma.person.findMany({ select: { displayName: true } });
    const accounts = await world.prisma.platformIdentity.findMany({ select: { externalId: true } });
    return { people: people.map((p) => p.displayName).sort(), accounts: accounts.map((a) => a.externalId).sort() };
  }

  it("leaves no Person or chat account row for help, stale buttons, App Home, my data or pause", async () => {
    const programme = await world.programme();
    world.messenger.clear();
    const before = await dump();
    expect(before.accounts).not.toContain(STRANGER);

    expect(textOf((await say("help")).private)).toContain("help");
    expect((await press("taster.signup", { tasterId: "a-session-that-was-deleted" })).error?.code).toBeDefined();
    expect((await press("feedback.react", { updateId: "old", answered: "yes" })).error?.code).toBeDefined();
    expect((await press("home.view")).error?.code).toBe("not_a_member");
    expect(textOf((await say("my-data")).private)).toContain("We do not store anything about you");
    expect((await say("pause")).error?.code).toBe("not_a_member");
    expect((await say("forget-me")).error).toBeUndefined();
    expect((await press("people.forget.confirm")).error).toBeUndefined();
    expect((await say("suggest Shorter meetings", { kind: "channel", externalId: programme.channel })).error?.code).toBe("not_a_member");

    expect(await dump()).toEqual(before);
    expect(world.messenger.sent.length).toBe(0);
  });

  it("makes their rows when they join in the programme's channel, with the role buttons offered before any row existed", async () => {
    const programme = await world.programme();
    const channel = { kind: "channel" as const, externalId: programme.channel };
    const offer = await say("join", channel);
    expect((await dump()).accounts).not.toContain(STRANGER);

    const joined = await asStranger({ kind: "action", ...findButton(offer.private, "Expert by experience").call, people: {} }, channel);
    expect(joined.error).toBeUndefined();
    const after = await dump();
    expect(after.accounts).toContain(STRANGER);
    expect(after.people).toContain("Sam Stranger");
    const account = await world.prisma.platformIdentity.findUniqueOrThrow({ where: { platform_externalId: { platform: "local", externalId: STRANGER } } });
    expect(await world.prisma.membership.count({ where: { personId: account.personId, programmeId: programme.id } })).toBe(1);
    // Joining asks for consent; nothing they say is stored before they agree.
    expect((await say("suggest Shorter meetings")).error?.code).toBe("no_consent");
  });
});
