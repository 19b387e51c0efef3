import { randomUUID } from "node:crypto";
import { DAY, HOUR } from "../clock.ts";
import { PARTICIPANT_ROLES } from "../roles.ts";
import { active, inWeek, usable, type Plan, type SyntheticPerson } from "./synthetic-plan.ts";
import { HARD, IDEAS, PANEL_TITLES, TASTER_TITLES, UPDATES_DONE, UPDATES_WORKING, WENT_WELL } from "./synthetic-words.ts";

/**
 * The synthetic programme's ideas, "we did" updates, tasters and panels as
 * rows, in the shapes the feedback, tasters and panels loops write. Pure.
 */

const later = (at: Date, days: number) => new Date(at.getTime() + days * DAY);
const weighted = <T extends string>(p: Plan, choices: readonly [T, number][]): T => {
  let roll = p.random.next();
  for (const [value, weight] of choices) if ((roll -= weight) < 0) return value;
  return choices[choices.length - 1]![0];
};
const YES_PARTLY_NO = [["yes", 0.6], ["partly", 0.25], ["no", 0.15]] as const satisfies readonly [string, number][];

export function planIdeas(p: Plan): void {
  const { random, rows } = p;
  const commissioners = p.people.filter((x) => x.role === "commissioner");
  let number = 0;
  for (let k = 0; k < p.weeks; k++) {
    for (const raiser of p.people) {
      if (!["expert_by_experience", "professional"].includes(raiser.role) || !random.chance(0.07)) continue;
      const createdAt = inWeek(p, k, random.int(0, 6), random.int(9, 18));
      if (!usable(p, createdAt) || !active(raiser, createdAt)) continue;
      const owner = random.pick(commissioners);
      const id = randomUUID();
      const item: Record<string, unknown> = { id, programmeId: p.programmeId, number: ++number, raisedById: raiser.id, raisedByRole: raiser.role, text: random.pick(IDEAS), ownerId: owner.id, status: "received", createdAt };
      rows.items.push(item);
      const change = (from: string | null, to: string, at: Date, by: string) => {
        rows.statusChanges.push({ itemId: id, from, to, changedById: by, changedAt: at });
        item.status = to;
      };
      change(null, "received", createdAt, raiser.id);
      if (!random.chance(0.85)) continue;
      const replied = new Date(createdAt.getTime() + random.int(4, 240) * HOUR);
      if (!usable(p, replied)) continue;
      item.firstRespondedAt = replied;
      change("received", "considering", replied, owner.id);
      const decided = later(replied, random.int(1, 7));
      if (!usable(p, decided)) continue;
      if (random.chance(0.12)) {
        change("considering", "not_possible", decided, owner.id);
        Object.assign(item, { statusReason: "There is no money for this this year.", closedAt: decided });
        continue;
      }
      if (!random.chance(0.85)) continue;
      change("considering", "agreed", decided, owner.id);
      item.dueAt = later(decided, 21);
      if (!random.chance(0.75)) continue;
      planUpdate(p, { id, raiser, owner, agreedAt: decided, item, change });
    }
  }
}

function planUpdate(
  p: Plan,
  i: { id: string; raiser: SyntheticPerson; owner: SyntheticPerson; agreedAt: Date; item: Record<string, unknown>; change: (from: string, to: string, at: Date, by: string) => void },
): void {
  const { random, rows } = p;
  const postedAt = later(i.agreedAt, random.int(2, 24));
  if (!usable(p, postedAt)) return;
  const done = random.chance(0.7);
  const updateId = randomUUID();
  rows.updates.push({ id: updateId, programmeId: p.programmeId, authorId: i.owner.id, authorRole: i.owner.role, text: random.pick(done ? UPDATES_DONE : UPDATES_WORKING), postedAt });
  rows.updateItems.push({ updateId, itemId: i.id, outcome: done ? "done" : "working" });
  if (done) {
    i.change("agreed", "done", postedAt, i.owner.id);
    i.item.closedAt = postedAt;
    // "We said, we did": some are done as an action the raiser and the commissioner owned together.
    if (random.chance(0.4)) {
      const actionId = randomUUID();
      rows.actions.push({ id: actionId, programmeId: p.programmeId, itemId: i.id, title: String(i.item.text), status: "done", createdById: i.owner.id, createdAt: i.agreedAt, doneAt: postedAt });
      rows.coOwners.push({ actionId, personId: i.raiser.id, role: i.raiser.role }, { actionId, personId: i.owner.id, role: i.owner.role });
    }
  }
  const reactedAt = new Date(postedAt.getTime() + random.int(1, 72) * HOUR);
  if (random.chance(0.7) && usable(p, reactedAt) && active(i.raiser, reactedAt)) {
    rows.reactions.push({ updateId, itemId: i.id, personId: i.raiser.id, answered: weighted(p, YES_PARTLY_NO), reactedAt });
  }
}

export function planTasters(p: Plan): void {
  const { random, rows } = p;
  const capacity = Math.max(4, Math.round(p.people.length / 25));
  for (let k = 1; k < p.weeks; k += 2) {
    const startsAt = inWeek(p, k, 3, 14);
    const endsAt = new Date(startsAt.getTime() + 2 * HOUR);
    if (!usable(p, endsAt)) continue;
    const tasterId = randomUUID();
    rows.tasters.push({
      id: tasterId, programmeId: p.programmeId, title: random.pick(TASTER_TITLES), whatToExpect: "A relaxed two hours. No skills needed. You can just watch.",
      audienceRoles: [...PARTICIPANT_ROLES], startsAt, endsAt, location: "The Hub, Market Street", capacity, createdAt: later(startsAt, -10),
    });
    const keen = p.people
      .filter((x) => x.role !== "facilitator" && PARTICIPANT_ROLES.includes(x.role) && active(x, later(startsAt, -7)) && random.chance(0.15))
      .map((person) => ({ person, queuedAt: new Date(startsAt.getTime() - random.int(24, 160) * HOUR) }))
      .sort((a, b) => a.queuedAt.getTime() - b.queuedAt.getTime());
    const waiting = keen.slice(capacity).map((s) => ({ ...s, status: "waitlisted", offeredAt: null as Date | null }));
    const places = keen.slice(0, capacity).map((s) => ({ ...s, status: "booked", offeredAt: null as Date | null }));
    for (const place of places.slice()) {
      if (!random.chance(0.15)) continue;
      // A place given back goes to the next person waiting, who takes it or lets the offer run out.
      place.status = "cancelled";
      const next = waiting.find((w) => w.status === "waitlisted");
      if (!next) continue;
      next.offeredAt = new Date(startsAt.getTime() - 20 * HOUR);
      next.status = random.chance(0.75) ? "booked" : "expired";
    }
    for (const s of [...places, ...waiting]) {
      const booked = s.status === "booked";
      const attended = booked ? random.chance(0.8) : null;
      const followUp = attended && random.chance(0.75);
      rows.signups.push({
        tasterId, personId: s.person.id, role: s.person.role, status: s.status, queuedAt: s.queuedAt, offeredAt: s.offeredAt,
        offerExpiresAt: s.offeredAt ? new Date(s.offeredAt.getTime() + 24 * HOUR) : null, attended,
        expectationsMet: followUp ? weighted(p, YES_PARTLY_NO) : null,
        wouldTakePart: followUp ? weighted(p, [["yes", 0.6], ["maybe", 0.3], ["no", 0.1]]) : null,
        followUpComment: followUp && random.chance(0.5) ? random.pick(WENT_WELL) : null,
        createdAt: s.queuedAt,
      });
    }
  }
}

export function planPanels(p: Plan): void {
  const { random, rows } = p;
  for (let k = 2; k < p.weeks; k += 3) {
    const startsAt = inWeek(p, k, 2, 10);
    const endsAt = new Date(startsAt.getTime() + 2 * HOUR);
    if (!usable(p, endsAt)) continue;
    const panelId = randomUUID();
    rows.panels.push({ id: panelId, programmeId: p.programmeId, title: random.pick(PANEL_TITLES), purpose: "Young people and commissioners decide together.", startsAt, endsAt, prepPrompt: "Think of one question you would like to ask.", createdAt: later(startsAt, -14) });
    const able = (role: string) => p.people.filter((x) => x.role === role && active(x, later(startsAt, -14)));
    const pickSome = (list: SyntheticPerson[], n: number) => {
      const pool = list.slice();
      const chosen: SyntheticPerson[] = [];
      while (chosen.length < n && pool.length) chosen.push(pool.splice(random.int(0, pool.length - 1), 1)[0]!);
      return chosen;
    };
    const members = [...pickSome(able("commissioner"), 2), ...pickSome(able("expert_by_experience"), 3), ...pickSome(able("professional"), 1)];
    for (const m of members) {
      const attended = random.chance(0.85);
      rows.panelMembers.push({ panelId, personId: m.id, role: m.role, attended });
      const submittedAt = new Date(endsAt.getTime() + random.int(1, 48) * HOUR);
      if (!attended || !random.chance(0.7) || !usable(p, submittedAt)) continue;
      rows.debriefs.push({
        panelId, personId: m.id, role: m.role, wentWell: random.pick(WENT_WELL), couldImprove: random.pick(HARD), listenedTo: weighted(p, YES_PARTLY_NO),
        changeNextTime: "Meet each other first, before the interviews.", submittedAt, updatedAt: submittedAt,
      });
    }
  }
}
