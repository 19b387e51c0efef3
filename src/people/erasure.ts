import { randomUUID } from "node:crypto";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { audit } from "../audit.ts";
import { isWesaidError } from "../errors.ts";
import { cancelPlace } from "../tasters/index.ts";
import { leaveLearningSet } from "../panels/index.ts";
import { addressTraces, cleanTraces, wordsOf, type Replacements, type Traces } from "./redaction.ts";
import { redactCopies } from "./erasure-copies.ts";
import { forgetText } from "./catalogue.ts";

/**
 * "Forget me": after it, nothing wesaid stores says anything about the person.
 *
 * - Places they hold on tasters still to come, and in learning sets, go to the next person waiting.
 * - Their rows go: person, accounts and conversation addresses, memberships,
 *   consents, preferences, opt-outs, prompts sent, sign-ups, panel places,
 *   shared-action places, time given.
 * - What others need stays without them: numbers and choices they answered
 *   (role only, so totals stay right), the "did this answer it?" reply, the
 *   debrief's "listened to" answer, ideas they raised (as "an idea from someone
 *   who has left", with number, status, owner, history and actions), status
 *   history and audit records (the event, not who).
 * - Every copy of their ids, name or words elsewhere (messages queued or sent,
 *   posts on the platforms, stored digests, audit details, conversation
 *   addresses, adapters' state) is redacted; posted copies are updated on the
 *   platform through the outbox (see erasure-copies.ts).
 *
 * Not found, by design: answers to anonymous series, which nothing links to them.
 */
export async function erasePerson(ctx: CoreContext, personId: string): Promise<void> {
  const now = ctx.clock.now();
  await givePlacesBack(ctx, personId, now);
  await ctx.db.$transaction(
    async (tx) => {
      const traces = await tracesOf(tx, personId);
      // One random stand-in per erasure for their ids: keys stay unique, references keep their shape.
      const r: Replacements = { id: `erased-${randomUUID()}`, name: forgetText.someoneWhoLeft, words: forgetText.removedWords };
      await eraseRows(tx, personId);
      const counts = await redactCopies(tx, now, traces, r);
      // The audit entry records that an erasure happened and what was redacted, not who it was.
      await audit(tx, now, null, "person.erase", "Person", "erased", counts);
    },
    { timeout: 120_000, maxWait: 20_000 },
  );
}

/**
 * Places they hold on sessions still to come go back first, through the tasters
 * loop, so the next person waiting is offered one and the channel posts show it;
 * so do places in learning sets, through the panels loop.
 */
async function givePlacesBack(ctx: CoreContext, personId: string, now: Date): Promise<void> {
  const signups = await ctx.db.tasterSignup.findMany({
    where: { personId, status: { in: ["booked", "offered", "waitlisted"] }, taster: { startsAt: { gt: now }, cancelledAt: null } },
    select: { tasterId: true },
  });
  for (const { tasterId } of signups) {
    // A session that started meanwhile keeps no place to give: the sign-up is deleted below all the same.
    await cancelPlace(ctx, { personId, tasterId }).catch((error: unknown) => {
      if (!isWesaidError(error)) throw error;
    });
  }
  const sets = await ctx.db.learningSetPlace.findMany({ where: { personId }, select: { setId: true } });
  for (const { setId } of sets) {
    await leaveLearningSet(ctx, { personId, setId }).catch((error: unknown) => {
      if (!isWesaidError(error)) throw error;
    });
  }
}

/** Everything by which a copy could be recognised as theirs. Read before their rows go. */
async function tracesOf(tx: DbTx, personId: string): Promise<Traces> {
  const person = await tx.person.findUnique({ where: { id: personId }, include: { identities: true } });
  const [answers, ideas, reactions, debriefs, signups, actions, deliveries, checks] = await Promise.all([
    tx.promptResponse.findMany({ where: { personId }, select: { text: true } }),
    tx.feedbackItem.findMany({ where: { raisedById: personId }, select: { text: true } }),
    tx.feedbackReaction.findMany({ where: { personId }, select: { comment: true } }),
    tx.debriefResponse.findMany({ where: { personId }, select: { wentWell: true, couldImprove: true, changeNextTime: true } }),
    tx.tasterSignup.findMany({ where: { personId }, select: { id: true, followUpComment: true } }),
    tx.coOwnedAction.findMany({ where: { createdById: personId }, select: { title: true } }),
    tx.promptDelivery.findMany({ where: { personId }, select: { id: true } }),
    tx.memberCheckResponse.findMany({ where: { personId }, select: { comment: true } }),
  ]);
  const identities = person?.identities ?? [];
  const platforms = [...new Set(identities.map((i) => i.platform))];
  // A few other people's addresses on the same platforms show which parts of an address are shared (server, bot, tenant).
  const others = await tx.platformIdentity.findMany({ where: { personId: { not: personId }, platform: { in: platforms } }, select: { address: true }, take: 200 });
  const names = person ? [person.displayName] : [];
  const fromAddresses = addressTraces(
    identities.map((i) => i.address),
    others.map((o) => o.address).filter((a) => a !== null),
  ).filter((s) => !names.includes(s));
  return cleanTraces({
    ids: [personId, ...identities.map((i) => i.externalId), ...fromAddresses, ...deliveries.map((d) => d.id), ...signups.map((s) => s.id)],
    names,
    words: wordsOf([
      ...answers.map((a) => a.text),
      ...ideas.map((i) => i.text),
      ...reactions.map((r) => r.comment),
      ...debriefs.flatMap((d) => [d.wentWell, d.couldImprove, d.changeNextTime]),
      ...signups.map((s) => s.followUpComment),
      ...actions.map((a) => a.title),
      ...checks.map((c) => c.comment),
    ]),
  });
}

/** Their own rows go; rows others need stay without them. */
async function eraseRows(tx: DbTx, personId: string): Promise<void> {
  // Codes given to what they said go with their words (src/coding); the coder's own id goes with the person (SetNull).
  await tx.codeAssignment.deleteMany({ where: { OR: [{ response: { personId } }, { item: { raisedById: personId } }, { debrief: { personId } }, { checkResponse: { personId } }] } });
  // Numbers and choices stay with the role only; answers with nothing left go.
  await tx.promptResponse.updateMany({ where: { personId }, data: { personId: null, text: null } });
  await tx.promptResponse.deleteMany({ where: { personId: null, text: null, number: null, choices: { isEmpty: true } } });
  await tx.promptDelivery.deleteMany({ where: { personId } });
  await tx.feedbackItem.updateMany({ where: { raisedById: personId }, data: { raisedById: null, text: forgetText.removedIdea, sourceRef: null } });
  await tx.feedbackItem.updateMany({ where: { ownerId: personId }, data: { ownerId: null } });
  await tx.feedbackStatusChange.updateMany({ where: { changedById: personId }, data: { changedById: null } });
  await tx.feedbackUpdate.updateMany({ where: { authorId: personId }, data: { authorId: null } });
  await tx.feedbackReaction.updateMany({ where: { personId }, data: { personId: null, comment: null } });
  await tx.coOwnedAction.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.coOwner.deleteMany({ where: { personId } });
  await tx.ideaFollower.deleteMany({ where: { personId } });
  await tx.debriefResponse.updateMany({ where: { personId }, data: { personId: null, wentWell: "", couldImprove: "", changeNextTime: "" } });
  // A member check's yes / partly / no stays with the role only; their words go.
  await tx.memberCheckResponse.updateMany({ where: { personId }, data: { personId: null, comment: "" } });
  await tx.memberCheck.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.tasterSignup.deleteMany({ where: { personId } });
  await tx.panelMember.deleteMany({ where: { personId } });
  await tx.learningSetPlace.deleteMany({ where: { personId } });
  await tx.learningSet.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.promptSeries.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.promptDraft.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.taster.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.panel.updateMany({ where: { createdById: personId }, data: { createdById: null } });
  await tx.auditEntry.updateMany({ where: { actorId: personId }, data: { actorId: null } });
  // Identities, memberships, consents, preferences, opt-outs and time given go with the person (cascade).
  await tx.person.deleteMany({ where: { id: personId } });
}
