import type { CoreSettings } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { PeopleByRole } from "../suppression.ts";
import { codeExportRows, codesFor } from "../coding/index.ts";
import { supportFor } from "../feedback/index.ts";
import type { ExportKind } from "./codebook.ts";
import { ExportPeople } from "./people.ts";
import { answerRows } from "./answers.ts";
import { batches } from "./batches.ts";
import { BATCH_SIZE, isoOrEmpty, yesNo } from "./rules.ts";
import { memberCheckRows } from "./member-check-rows.ts";

export type Row = Record<string, string | number>;
export type Range = { from: Date; end: Date };
export type Source = { db: DbTx; settings: CoreSettings; programme: { id: string; name: string }; range: Range; batchSize?: number };

const afterId = (after: string | undefined) => (after ? { id: { gt: after } } : {});

/** The rows of one export, a database batch at a time. */
export function exportRows(kind: ExportKind, source: Source): AsyncGenerator<Row[]> {
  return { answers: answerRows, ideas: ideaRows, tasters: tasterRows, debriefs: debriefRows, codes: codeRows, "member-checks": memberCheckRows }[kind](source);
}

/** Each idea raised in the range, then every change to it: status, "we did" updates and the raiser's reactions. */
async function* ideaRows({ db, settings, programme, range, batchSize = BATCH_SIZE }: Source): AsyncGenerator<Row[]> {
  const people = new ExportPeople(db, settings, programme.id);
  await people.loadMembers();
  // Ideas in number order (#1, #2 ...): the number is unique in a programme, so it is the key.
  for await (const batch of batches(
    batchSize,
    (after: number | undefined, take) =>
      db.feedbackItem.findMany({
        where: { programmeId: programme.id, createdAt: { gte: range.from, lt: range.end }, ...(after === undefined ? {} : { number: { gt: after } }) },
        orderBy: { number: "asc" },
        take,
        include: { history: { orderBy: { changedAt: "asc" } }, updateLinks: { include: { update: true } }, reactions: { orderBy: { reactedAt: "asc" } } },
      }),
    (item) => item.number,
  )) {
    await people.learnConsent(
      batch.flatMap((i) => [i.raisedById, ...i.history.map((h) => h.changedById), ...i.updateLinks.map((l) => l.update.authorId), ...i.reactions.map((r) => r.personId)]),
    );
    const codes = await codesFor(db, batch.map((i) => i.id));
    const support = await supportFor(db, batch.map((i) => i.id));
    const out: Row[] = [];
    for (const item of batch) {
      const supporters = support.get(item.id)!.followers;
      const base = { idea_id: item.id, programme_id: programme.id, programme: programme.name, idea_number: item.number, status_now: item.status, supporters, due_at: isoOrEmpty(item.dueAt), theme_codes: codes.get(item.id) ?? "" };
      const empty = { source: "", person: "", role: "", status_from: "", status_to: "", update_id: "", answered: "", text: "", text_withheld: "" };
      const raised = people.words(item.raisedById, item.text);
      const events: (Row & { at: string })[] = [
        { ...empty, event: "raised", at: item.createdAt.toISOString(), source: item.source, person: people.id(item.raisedById), role: people.memberLabel(item.raisedByRole), status_to: "received", text: raised.text, text_withheld: raised.withheld },
        ...item.history
          .filter((h) => h.from !== null)
          .map((h) => {
            const reason = people.words(h.changedById, h.reason);
            return { ...empty, event: "status", at: h.changedAt.toISOString(), person: people.id(h.changedById), role: h.changedById ? people.memberLabel(people.roleInProgramme(h.changedById)) : "", status_from: h.from ?? "", status_to: h.to, text: reason.text, text_withheld: reason.withheld };
          }),
        ...item.updateLinks.map(({ update }) => {
          const said = people.words(update.authorId, update.text);
          return { ...empty, event: "we_did", at: update.postedAt.toISOString(), person: people.id(update.authorId), role: people.memberLabel(update.authorRole), update_id: update.id, text: said.text, text_withheld: said.withheld };
        }),
        ...item.reactions.map((r) => {
          const comment = people.words(r.personId, r.comment);
          return { ...empty, event: "reaction", at: r.reactedAt.toISOString(), person: people.id(r.personId), role: r.personId ? people.memberLabel(people.roleInProgramme(r.personId)) : "", update_id: r.updateId, answered: r.answered, text: comment.text, text_withheld: comment.withheld };
        }),
      ];
      events.sort((a, b) => (a.event === "raised" ? -1 : b.event === "raised" ? 1 : a.at.localeCompare(b.at)));
      for (const event of events) out.push({ ...base, ...event });
    }
    yield out;
  }
}

/** One row per sign-up made in the range. */
async function* tasterRows({ db, settings, programme, range, batchSize = BATCH_SIZE }: Source): AsyncGenerator<Row[]> {
  const people = new ExportPeople(db, settings, programme.id);
  await people.loadMembers();
  for await (const batch of batches(batchSize, (after, take) =>
    db.tasterSignup.findMany({
      where: { taster: { programmeId: programme.id }, queuedAt: { gte: range.from, lt: range.end }, ...afterId(after) },
      orderBy: { id: "asc" },
      take,
      include: { taster: { select: { id: true, title: true, startsAt: true, cancelledAt: true } } },
    }),
  )) {
    await people.learnConsent(batch.map((s) => s.personId));
    const out: Row[] = [];
    for (const s of batch) {
      const comment = people.words(s.personId, s.followUpComment);
      out.push({
        signup_id: s.id,
        programme_id: programme.id,
        programme: programme.name,
        taster_id: s.taster.id,
        taster: s.taster.title,
        starts_at: s.taster.startsAt.toISOString(),
        cancelled: yesNo(s.taster.cancelledAt !== null),
        person: people.id(s.personId),
        role: people.memberLabel(s.role),
        status: s.status,
        queued_at: s.queuedAt.toISOString(),
        offered_at: isoOrEmpty(s.offeredAt),
        offer_expires_at: isoOrEmpty(s.offerExpiresAt),
        attended: yesNo(s.attended),
        expectations_met: s.expectationsMet ?? "",
        would_take_part: s.wouldTakePart ?? "",
        comment: comment.text,
        text_withheld: comment.withheld,
        theme_codes: "",
      });
    }
    yield out;
  }
}

/** One row per debrief sent in the range; a role only where N or more of the panel had it. */
async function* debriefRows({ db, settings, programme, range, batchSize = BATCH_SIZE }: Source): AsyncGenerator<Row[]> {
  const people = new ExportPeople(db, settings, programme.id);
  const panelAsked = new Map<string, PeopleByRole>();
  for await (const batch of batches(batchSize, (after, take) =>
    db.debriefResponse.findMany({
      where: { panel: { programmeId: programme.id }, submittedAt: { gte: range.from, lt: range.end }, ...afterId(after) },
      orderBy: { id: "asc" },
      take,
      include: { panel: { select: { id: true, title: true, startsAt: true, meetingNumber: true, learningSet: { select: { name: true } } } } },
    }),
  )) {
    await people.learnConsent(batch.map((d) => d.personId));
    const newPanels = [...new Set(batch.map((d) => d.panelId))].filter((id) => !panelAsked.has(id));
    if (newPanels.length) {
      const counts = await db.panelMember.groupBy({ by: ["panelId", "role"], where: { panelId: { in: newPanels } }, _count: { _all: true } });
      for (const id of newPanels) panelAsked.set(id, {});
      for (const row of counts) panelAsked.get(row.panelId)![row.role] = row._count._all;
    }
    const codes = await codesFor(db, batch.map((d) => d.id));
    const out: Row[] = [];
    for (const d of batch) {
      const all = [d.wentWell, d.couldImprove, d.changeNextTime].some(Boolean) ? people.words(d.personId, "-") : { text: "", withheld: "" };
      const keep = (text: string) => (all.withheld ? "" : text);
      out.push({
        debrief_id: d.id,
        programme_id: programme.id,
        programme: programme.name,
        panel_id: d.panel.id,
        panel: d.panel.title,
        panel_starts_at: d.panel.startsAt.toISOString(),
        panel_kind: d.panel.learningSet ? "learning_set" : "panel",
        learning_set: d.panel.learningSet?.name ?? "",
        meeting_number: d.panel.meetingNumber === null ? "" : String(d.panel.meetingNumber),
        person: people.id(d.personId),
        role: people.labeller(panelAsked.get(d.panelId)!)(d.role),
        listened_to: d.listenedTo,
        went_well: keep(d.wentWell),
        could_improve: keep(d.couldImprove),
        change_next_time: keep(d.changeNextTime),
        text_withheld: all.withheld,
        submitted_at: d.submittedAt.toISOString(),
        updated_at: d.updatedAt.toISOString(),
        theme_codes: codes.get(d.id) ?? "",
      });
    }
    yield out;
  }
}

/** One row per code given in the range (src/coding): no person, only what was coded and with what. */
async function* codeRows({ db, programme, range, batchSize = BATCH_SIZE }: Source): AsyncGenerator<Row[]> {
  for await (const batch of batches(batchSize, (after, take) => codeExportRows(db, programme, range, after, take))) yield batch.map((b) => b.row);
}
