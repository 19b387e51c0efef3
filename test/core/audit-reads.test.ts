import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton } from "../support/world.ts";
import { busyProgramme } from "./retention/busy-programme.ts";

/**
 * Every read of other people's words by an organiser or evaluator leaves one
 * audit row: who read, what kind, which programme / series / panel / week,
 * and nothing that points at the people whose words were read.
 */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const reads = () => world.prisma.auditEntry.findMany({ where: { action: { startsWith: "read." } }, orderBy: { at: "asc" } });

describe("reading people's words is audited", () => {
  it("answers, digests, idea lists and debriefs: one row per read, the reader's id, and no participant in it", async () => {
    const busy = await busyProgramme(world, "Audited programme", "T1");
    const { programme, fac, eve, priya, jo, named, panel } = busy;
    world.clock.set("2026-03-16T09:00:00Z");
    await world.tick(); // the digest of the week of 2 March
    expect(await reads()).toHaveLength(0);

    // The facilitator reads answers: the series list, then the named series.
    const pick = await fac.say("answers");
    const seen = await fac.press(findButton(pick.private, named.title).call);
    expect(seen.error).toBeUndefined();
    // The evaluator reads the latest digest, and this week's so far.
    expect((await eve.say("digest")).error).toBeUndefined();
    expect((await eve.say("digest this week")).error).toBeUndefined();
    // The commissioner reads the list of open ideas with people's words.
    expect((await priya.say("ideas")).error).toBeUndefined();
    // The facilitator reads the debriefs of the panel.
    expect((await fac.press({ action: "panel.summary", args: { panelId: panel.id } })).error).toBeUndefined();
    // A participant reading their own ideas is not an organiser's read.
    expect((await jo.say("ideas")).error).toBeUndefined();

    const rows = await reads();
    expect(rows.map((r) => [r.actorId, r.action, r.entity, r.entityId, r.detail])).toEqual([
      [fac.id, "read.answers", "Programme", programme.id, { seriesId: named.id, week: "2026-03-02" }],
      [eve.id, "read.digest", "Programme", programme.id, { week: "2026-03-09" }],
      [eve.id, "read.digest", "Programme", programme.id, { week: "2026-03-16" }],
      [priya.id, "read.ideas", "Programme", programme.id, {}],
      [fac.id, "read.debriefs", "Programme", programme.id, { panelId: panel.id }],
    ]);

    // Nothing in those rows identifies a participant: not Jo's id, name, chat id or words, nor any row of theirs.
    const joRows = [
      ...(await world.prisma.promptDelivery.findMany({ where: { personId: jo.id } })),
      ...(await world.prisma.promptResponse.findMany()),
      ...(await world.prisma.feedbackItem.findMany()),
      ...(await world.prisma.debriefResponse.findMany()),
      ...(await world.prisma.tasterSignup.findMany()),
      ...(await world.prisma.membership.findMany({ where: { personId: jo.id } })),
      ...(await world.prisma.platformIdentity.findMany({ where: { personId: jo.id } })),
    ];
    const secrets = [jo.id, jo.externalId, "JoT1", ...busy.words, ...joRows.map((r) => r.id)];
    for (const row of rows) {
      const text = JSON.stringify(row);
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
