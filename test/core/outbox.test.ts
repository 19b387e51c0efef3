import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, textOf } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import { createCore } from "../../src/core.ts";
import { enqueue, dispatchOutbox } from "../../src/outbox.ts";
import { message, para } from "../../src/messages/model.ts";
import { MINUTE } from "../../src/clock.ts";

// Storage and scheduling behaviour: run on the embedded database and, in CI, on PostgreSQL.
describe.each(backends())("outbox on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  async function queueFor(personId: string, key: string) {
    await world.prisma.$transaction((tx) =>
      enqueue(tx, world.clock.now(), { key, purpose: "test", personId, message: message("Hello", para("Hello there")) }),
    );
  }

  it("sends a queued message exactly once, even when the same key is queued again", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.messenger.clear();
    await queueFor(jo.id, "k1");
    await queueFor(jo.id, "k1");
    await world.core.flush();
    await world.core.flush();
    expect(jo.inbox()).toHaveLength(1);
  });

  it("withholds a message queued before the person paused, and says so in the row", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.messenger.clear();
    await world.prisma.$transaction((tx) =>
      enqueue(tx, world.clock.now(), { key: "later", purpose: "test", personId: jo.id, message: message("Hello", para("Hello there")), notBefore: new Date(world.clock.now().getTime() + 60 * MINUTE) }),
    );
    await jo.say("pause");
    world.clock.advance(61 * MINUTE);
    const report = await world.core.flush();
    expect(jo.inbox().map(textOf).join("\n")).not.toContain("Hello there");
    expect(report.withheld).toBe(1);
    expect(await world.prisma.outboxMessage.findUnique({ where: { key: "later" } })).toMatchObject({ status: "withheld" });
  });

  it("does not send twice when two instances dispatch at the same moment", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.messenger.clear();
    for (let i = 0; i < 20; i++) await queueFor(jo.id, `k${i}`);
    const second = createCore(world.ctx);
    await Promise.all([world.core.flush(), second.flush(), dispatchOutbox(world.ctx)]);
    expect(jo.inbox()).toHaveLength(20);
  });

  it("keeps a throttled message and sends it after the wait the platform asked for", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.messenger.clear();
    world.messenger.throttleNext = 1;
    await queueFor(jo.id, "throttled");
    const first = await world.core.flush();
    expect(first.retried).toBe(1);
    expect(jo.inbox()).toHaveLength(0);
    world.clock.advance(10_000);
    await world.core.flush();
    expect(jo.inbox()).toHaveLength(0); // not before Retry-After (30 s)
    world.clock.advance(2 * MINUTE);
    await world.core.flush();
    expect(jo.inbox()).toHaveLength(1);
  });

  it("never gives up a message because the platform kept asking it to wait", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.messenger.clear();
    world.messenger.throttleNext = world.ctx.settings.maxSendAttempts + 4;
    await queueFor(jo.id, "patient");
    for (let i = 0; i < world.ctx.settings.maxSendAttempts + 6; i++) {
      await world.core.flush();
      world.clock.advance(MINUTE);
    }
    expect(jo.inbox()).toHaveLength(1);
    expect(await world.prisma.outboxMessage.findUnique({ where: { key: "patient" } })).toMatchObject({ status: "sent" });
  });

  it("retries a message left half-sent by a crash once its claim has expired", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.messenger.clear();
    await queueFor(jo.id, "crashed");
    await world.prisma.outboxMessage.update({ where: { key: "crashed" }, data: { status: "sending", claimedAt: world.clock.now(), claimToken: "a-sender-that-crashed", leaseUntil: new Date(world.clock.now().getTime() + MINUTE) } });
    await world.core.flush();
    expect(jo.inbox()).toHaveLength(0);
    world.clock.advance(2 * MINUTE);
    await world.core.flush();
    expect(jo.inbox()).toHaveLength(1);
  });

  it("tells the facilitator, once a day, about someone who cannot be reached", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience", { platform: "teams" });
    world.messenger.unreachable.add(jo.externalId);
    await queueFor(jo.id, "a");
    await queueFor(jo.id, "b");
    await world.core.flush();
    expect((await world.prisma.outboxMessage.findUniqueOrThrow({ where: { key: "a" } })).status).toBe("unreachable");
    await world.tick();
    await world.tick();
    const reports = programme.facilitator.inbox().filter((m) => m.summary.includes("could not reach Jo"));
    expect(reports).toHaveLength(1);
    expect(textOf(reports[0])).toContain("add the wesaid app in Teams");
    const identity = await world.prisma.platformIdentity.findFirstOrThrow({ where: { personId: jo.id } });
    expect(identity.reachable).toBe(false);
  });
});
