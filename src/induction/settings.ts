import type { CoreContext } from "../context.ts";
import { audit } from "../audit.ts";
import { inductionScope } from "./rules.ts";

/** The person's "Stop the introduction" and the facilitator's on / off. Both hold back steps already queued. */

/** An opt-out the gate reads, like "Stop these questions". Returns whether anything changed. */
export async function stopInduction(ctx: CoreContext, personId: string, programmeId: string): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const made = await tx.messageOptOut.createMany({ data: [{ personId, scope: inductionScope(programmeId), createdAt: now }], skipDuplicates: true });
    if (made.count === 0) return false;
    await tx.outboxMessage.updateMany({
      where: { personId, status: "pending", key: { startsWith: `induction:${programmeId}:${personId}:` } },
      data: { status: "withheld", lastError: "the person stopped the introduction" },
    });
    return true;
  });
}

export async function setInduction(ctx: CoreContext, programmeId: string, on: boolean, byId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    await tx.programme.update({ where: { id: programmeId }, data: { inductionOn: on } });
    if (!on) {
      await tx.outboxMessage.updateMany({
        where: { status: "pending", key: { startsWith: `induction:${programmeId}:` } },
        data: { status: "withheld", lastError: "the introduction was turned off" },
      });
    }
    await audit(tx, now, byId, on ? "induction.on" : "induction.off", "Programme", programmeId);
  });
}
