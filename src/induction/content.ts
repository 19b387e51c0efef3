import type { DbTx } from "../db/database.ts";
import type { Message } from "../messages/model.ts";
import { ROLE_EXPLAINED, WHO_IS_WHO } from "../people/index.ts";
import { STATUS_WORDS } from "../feedback/index.ts";
import { placesLeft } from "../tasters/index.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";
import { formatDate, formatWhen } from "../time.ts";
import { STEPS } from "./rules.ts";
import * as say from "./catalogue.ts";

/** Each person's copy of a step: built from what the programme holds at the moment the step is sent, so it is current. */
export type StepMessage = (role: Role, timeZone: string) => Message;

const LATEST_UPDATES = 5;
const OPEN_IDEAS = 5;
const COMING_UP = 5;

export async function stepContent(tx: DbTx, now: Date, programmeId: string, step: number): Promise<StepMessage> {
  switch (STEPS[step]) {
    case "about":
      return about(tx, programmeId);
    case "decided":
      return decided(tx, programmeId);
    case "ideas":
      return ideas(tx, programmeId);
    default:
      return comingUp(tx, now, programmeId);
  }
}

async function about(tx: DbTx, programmeId: string): Promise<StepMessage> {
  const programme = await tx.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { name: true, description: true } });
  const roles = WHO_IS_WHO.map((r) => ({ label: ROLE_LABELS[r], explained: ROLE_EXPLAINED[r] }));
  return () => say.aboutStep({ programmeId, programmeName: programme.name, description: programme.description, roles });
}

async function decided(tx: DbTx, programmeId: string): Promise<StepMessage> {
  const [updates, doneCount] = await Promise.all([
    tx.feedbackUpdate.findMany({ where: { programmeId }, orderBy: { postedAt: "desc" }, take: LATEST_UPDATES, select: { text: true, postedAt: true } }),
    tx.feedbackItem.count({ where: { programmeId, status: "done" } }),
  ]);
  return (_role, timeZone) => say.decidedStep({ programmeId, doneCount, updates: updates.map((u) => ({ when: formatDate(u.postedAt, timeZone), text: u.text })) });
}

async function ideas(tx: DbTx, programmeId: string): Promise<StepMessage> {
  const open = await tx.feedbackItem.findMany({
    where: { programmeId, status: { in: ["received", "considering", "agreed"] } },
    orderBy: { createdAt: "desc" },
    take: OPEN_IDEAS,
    select: { id: true, number: true, text: true, status: true },
  });
  const lines = open.map((i) => ({ id: i.id, number: i.number, text: i.text, status: STATUS_WORDS[i.status] }));
  return () => say.ideasStep({ programmeId, ideas: lines });
}

async function comingUp(tx: DbTx, now: Date, programmeId: string): Promise<StepMessage> {
  const [tasters, panels] = await Promise.all([
    tx.taster.findMany({
      where: { programmeId, startsAt: { gt: now }, cancelledAt: null },
      orderBy: { startsAt: "asc" },
      take: COMING_UP,
      include: { signups: { select: { status: true } } },
    }),
    tx.panel.findMany({ where: { programmeId, startsAt: { gt: now } }, orderBy: { startsAt: "asc" }, take: COMING_UP, select: { title: true, startsAt: true } }),
  ]);
  return (role, timeZone) =>
    say.comingUpStep({
      programmeId,
      // Only sessions meant for them: a session for everyone names no roles.
      tasters: tasters
        .filter((t) => t.audienceRoles.length === 0 || t.audienceRoles.includes(role))
        .map((t) => ({ id: t.id, title: t.title, when: formatWhen(t.startsAt, timeZone), placesLeft: placesLeft(t.capacity, t.signups) })),
      panels: panels.map((p) => ({ title: p.title, when: formatWhen(p.startsAt, timeZone) })),
    });
}
