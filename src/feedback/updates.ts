import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Role } from "../roles.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import { audit } from "../audit.ts";
import { mayTell } from "./notices.ts";
import * as say from "./catalogue.ts";

/** "We did": updates that answer ideas, and what the people who raised them make of them. */

/**
 * Posts what was done to the programme's channels and asks each person who
 * raised a linked item, privately, whether it answers what they said. Unknown
 * numbers refuse the whole update: nothing is stored or posted.
 */
export async function postUpdate(
  ctx: CoreContext,
  byId: string,
  p: { programmeId: string; authorRole: Role; text: string; itemNumbers: number[] },
): Promise<{ updateId: string; numbers: number[]; told: number }> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const items = await tx.feedbackItem.findMany({ where: { programmeId: p.programmeId, number: { in: p.itemNumbers } }, orderBy: { number: "asc" } });
    const missing = p.itemNumbers.filter((n) => !items.some((i) => i.number === n));
    if (missing.length) throw new WesaidError("not_found", say.feedbackText.unknownIdeas(missing));
    const update = await tx.feedbackUpdate.create({
      data: { programmeId: p.programmeId, authorId: byId, authorRole: p.authorRole, text: p.text, postedAt: now, items: { create: items.map((i) => ({ itemId: i.id })) } },
    });
    await audit(tx, now, byId, "feedback.update", "FeedbackUpdate", update.id, { items: items.map((i) => i.number) });
    const post = say.updatePost({ text: p.text, role: p.authorRole, items: items.map((i) => ({ number: i.number, text: i.text })) });
    const channels = await tx.programmeChannel.findMany({ where: { programmeId: p.programmeId } });
    await enqueue(tx, now, ...channels.map((ch) => ({ key: `feedback:update:${update.id}:channel:${ch.id}`, purpose: "feedback.update", channelId: ch.id, programmeId: p.programmeId, message: post })));
    // One question per linked idea (someone who raised two gets two), to the people the gate lets through.
    const asked = items.filter((i) => i.raisedById && i.raisedById !== byId);
    const decisions = await mayTell(tx, ctx, now, p.programmeId, asked.map((i) => i.raisedById!));
    const questions: Outgoing[] = [];
    for (const item of asked) {
      const decision = decisions.get(item.raisedById!);
      if (!decision?.send) continue;
      questions.push({
        key: `feedback:update:${update.id}:item:${item.id}`,
        purpose: "feedback.update.ask",
        personId: item.raisedById!,
        programmeId: p.programmeId,
        message: say.updateForRaiser({ number: item.number, itemText: item.text, updateText: p.text, updateId: update.id, itemId: item.id }),
        notBefore: decision.at,
      });
    }
    await enqueue(tx, now, ...questions);
    // "We have asked N people": people, not questions (someone who raised two ideas is one person).
    const told = new Set(questions.map((q) => ("personId" in q ? q.personId : ""))).size;
    return { updateId: update.id, numbers: items.map((i) => i.number), told };
  });
}

export type Answered = "yes" | "partly" | "no";

/**
 * "Did this answer what you said?" from the person who raised the item; a
 * second answer replaces the first. The caller has checked it is theirs to answer.
 */
export async function react(ctx: CoreContext, personId: string, p: { updateId: string; itemId: string; answered: Answered; comment?: string }): Promise<void> {
  const now = ctx.clock.now();
  const data = { answered: p.answered, comment: p.comment ?? null, reactedAt: now };
  await ctx.db.$transaction(async (tx) => {
    await tx.feedbackReaction.upsert({
      where: { updateId_itemId_personId: { updateId: p.updateId, itemId: p.itemId, personId } },
      create: { updateId: p.updateId, itemId: p.itemId, personId, ...data },
      update: data,
    });
    await audit(tx, now, personId, "feedback.react", "FeedbackItem", p.itemId, { updateId: p.updateId, answered: p.answered });
  });
}
