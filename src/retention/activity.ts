import type { DbTx } from "../db/database.ts";

/**
 * The last time anyone did something in a programme: an answer given or
 * changed, an idea raised or moved on, a "we did" posted or reacted to, an
 * action set up or done, a session or panel set up (or still to come), a
 * sign-up, a debrief, time given. Reads, digests and messages sent do not
 * count, so an evaluator reading old data never keeps it longer. Only times
 * the service writes from its own clock are used. A programme with none of
 * these counts from when it was set up.
 */
export async function lastActivity(db: DbTx, programmeId: string): Promise<Date> {
  const inProgramme = { programmeId };
  const results = await Promise.all([
    db.promptResponse.aggregate({ where: { occurrence: { series: inProgramme } }, _max: { updatedAt: true } }).then((r) => r._max.updatedAt),
    db.promptDelivery.aggregate({ where: { occurrence: { series: inProgramme } }, _max: { answeredAt: true } }).then((r) => r._max.answeredAt),
    db.feedbackItem.aggregate({ where: inProgramme, _max: { createdAt: true, closedAt: true } }).then((r) => [r._max.createdAt, r._max.closedAt]),
    db.feedbackStatusChange.aggregate({ where: { item: inProgramme }, _max: { changedAt: true } }).then((r) => r._max.changedAt),
    db.feedbackUpdate.aggregate({ where: inProgramme, _max: { postedAt: true } }).then((r) => r._max.postedAt),
    db.feedbackReaction.aggregate({ where: { update: inProgramme }, _max: { reactedAt: true } }).then((r) => r._max.reactedAt),
    db.coOwnedAction.aggregate({ where: inProgramme, _max: { createdAt: true, doneAt: true } }).then((r) => [r._max.createdAt, r._max.doneAt]),
    db.taster.aggregate({ where: inProgramme, _max: { createdAt: true, endsAt: true } }).then((r) => [r._max.createdAt, r._max.endsAt]),
    db.tasterSignup.aggregate({ where: { taster: inProgramme }, _max: { queuedAt: true } }).then((r) => r._max.queuedAt),
    db.panel.aggregate({ where: inProgramme, _max: { createdAt: true, endsAt: true } }).then((r) => [r._max.createdAt, r._max.endsAt]),
    db.debriefResponse.aggregate({ where: { panel: inProgramme }, _max: { updatedAt: true } }).then((r) => r._max.updatedAt),
    db.learningSet.aggregate({ where: inProgramme, _max: { createdAt: true, endedAt: true } }).then((r) => [r._max.createdAt, r._max.endedAt]),
    db.learningSetPlace.aggregate({ where: { set: inProgramme }, _max: { queuedAt: true, offeredAt: true } }).then((r) => [r._max.queuedAt, r._max.offeredAt]),
    db.memberCheck.aggregate({ where: inProgramme, _max: { createdAt: true } }).then((r) => r._max.createdAt),
    db.memberCheckResponse.aggregate({ where: { memberCheck: inProgramme }, _max: { updatedAt: true } }).then((r) => r._max.updatedAt),
    db.contribution.aggregate({ where: inProgramme, _max: { occurredAt: true } }).then((r) => r._max.occurredAt),
  ]);
  const times = results.flat().filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  if (times.length) return new Date(Math.max(...times));
  const programme = await db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { createdAt: true } });
  return programme.createdAt;
}
