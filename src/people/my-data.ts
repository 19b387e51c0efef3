import type { DbTx } from "../db/database.ts";

/** "My data": what a person can see about themselves ("forget me" is in erasure.ts). */

/** Everything stored about a person, as plain data (the "my data" export). */
export async function exportPersonData(db: DbTx, personId: string) {
  const person = await db.person.findUniqueOrThrow({
    where: { id: personId },
    include: {
      identities: true,
      memberships: { include: { programme: true } },
      consents: true,
      preference: true,
      contributions: true,
      inductionSteps: { include: { programme: { select: { name: true } } } },
    },
  });
  const [answers, deliveries, suggestions, reactions, signups, panels, debriefs, coOwned, checks, follows, setPlaces] = await Promise.all([
    db.promptResponse.findMany({ where: { personId } }),
    db.promptDelivery.findMany({ where: { personId } }),
    db.feedbackItem.findMany({ where: { raisedById: personId }, include: { history: true } }),
    db.feedbackReaction.findMany({ where: { personId } }),
    db.tasterSignup.findMany({ where: { personId }, include: { taster: { select: { title: true, startsAt: true } } } }),
    db.panelMember.findMany({ where: { personId }, include: { panel: { select: { title: true, startsAt: true } } } }),
    db.debriefResponse.findMany({ where: { personId } }),
    db.coOwner.findMany({ where: { personId }, include: { action: true } }),
    db.memberCheckResponse.findMany({ where: { personId }, include: { memberCheck: { select: { title: true } } } }),
    db.ideaFollower.findMany({ where: { personId }, include: { item: { select: { number: true, text: true, status: true } } } }),
    db.learningSetPlace.findMany({ where: { personId }, include: { set: { select: { name: true } } } }),
  ]);
  return {
    person: { id: person.id, displayName: person.displayName, createdAt: person.createdAt },
    chatAccounts: person.identities.map((i) => ({ platform: i.platform, externalId: i.externalId, lastSeenAt: i.lastSeenAt })),
    programmes: person.memberships.map((m) => ({ programme: m.programme.name, role: m.role, joinedAt: m.joinedAt })),
    consents: person.consents.map((c) => ({ kind: c.kind, granted: c.granted, policyVersion: c.policyVersion, recordedAt: c.recordedAt })),
    preferences: person.preference,
    promptsSent: deliveries.map((d) => ({ occurrenceId: d.occurrenceId, status: d.status, sentAt: d.sentAt, answeredAt: d.answeredAt })),
    answers: answers.map((a) => ({ occurrenceId: a.occurrenceId, questionId: a.questionId, text: a.text, number: a.number, choices: a.choices, answeredAt: a.answeredAt })),
    suggestions: suggestions.map((s) => ({ number: s.number, text: s.text, status: s.status, createdAt: s.createdAt, history: s.history })),
    repliesToUpdates: reactions,
    tasterSignups: signups.map((s) => ({ taster: s.taster.title, startsAt: s.taster.startsAt, status: s.status, attended: s.attended })),
    panels: panels.map((p) => ({ panel: p.panel.title, startsAt: p.panel.startsAt, role: p.role })),
    learningSets: setPlaces.map((p) => ({
      learningSet: p.set.name,
      status: p.status === "booked" ? "member" : p.status === "offered" ? "offered a place" : "waiting",
      role: p.role,
      since: p.queuedAt,
      ...(p.status === "offered" ? { placeOfferedAt: p.offeredAt, placeHeldUntil: p.offerExpiresAt } : {}),
    })),
    debriefs,
    memberChecks: checks.map((c) => ({ check: c.memberCheck.title, answer: c.verdict, comment: c.comment, answeredAt: c.answeredAt, updatedAt: c.updatedAt })),
    ideasYouFollow: follows.map((f) => ({ number: f.item.number, text: f.item.text, status: f.item.status, followedAt: f.followedAt })),
    sharedActions: coOwned.map((c) => ({ title: c.action.title, status: c.action.status })),
    timeGiven: person.contributions,
    introductionSent: person.inductionSteps.map((s) => ({ programme: s.programme.name, step: s.step, sentAt: s.sentAt })),
  };
}
