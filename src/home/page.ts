import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Actor } from "../interactions.ts";
import { preferencesOf } from "../people/index.ts";
import { placesLeft } from "../tasters/index.ts";
import { setViews } from "../panels/index.ts";
import { roleCan } from "../roles.ts";
import { answeredDeliveries } from "../prompts/index.ts";
import { formatClockTime, formatWhen } from "../time.ts";
import { accessText } from "../messages/catalogue/access.ts";
import { homeText, type HomeView } from "./catalogue.ts";

const OPEN_STATUSES = ["sent", "answered"];
const MINE = ["booked", "waitlisted", "offered"] as const;

/** Everything the person's home page shows, read in one go. */
export async function homeFor(ctx: CoreContext, actor: Actor): Promise<HomeView> {
  const now = ctx.clock.now();
  const programmeIds = actor.memberships.map((m) => m.programmeId);
  if (programmeIds.length === 0) throw new WesaidError("not_a_member", accessText.notAMemberYet);
  const pref = await preferencesOf(ctx.db, actor.person.id);
  const [programmes, deliveries, ideas, tasters, sets] = await Promise.all([
    ctx.db.programme.findMany({ where: { id: { in: programmeIds } }, orderBy: { name: "asc" } }),
    ctx.db.promptDelivery.findMany({
      where: { personId: actor.person.id, status: { in: OPEN_STATUSES }, occurrence: { closesAt: { gt: now } } },
      include: { occurrence: { include: { series: { select: { title: true } } } } },
      orderBy: { occurrence: { closesAt: "asc" } },
      take: 10,
    }),
    ctx.db.feedbackItem.findMany({ where: { raisedById: actor.person.id }, orderBy: { createdAt: "desc" }, take: 5 }),
    ctx.db.taster.findMany({
      where: { programmeId: { in: programmeIds }, cancelledAt: null, startsAt: { gt: now } },
      include: { signups: true },
      orderBy: { startsAt: "asc" },
      take: 5,
    }),
    setViews(ctx, actor.person.id, programmeIds, pref.timeZone),
  ]);
  // Anonymous questions note nothing on the delivery when answered: the answers are found by their key.
  const answered = await answeredDeliveries(ctx, deliveries);
  const roleIn = new Map(actor.memberships.map((m) => [m.programmeId, m.role]));
  const current = sets.filter((s) => !s.ended);
  return {
    name: actor.person.displayName,
    programmes: programmes.map((p) => p.name),
    openQuestions: deliveries.map((d) => ({
      deliveryId: d.id,
      title: d.occurrence.series.title,
      closes: formatWhen(d.occurrence.closesAt, pref.timeZone),
      answered: d.status === "answered" || answered.has(d.id),
    })),
    ideas: ideas.map((i) => ({ number: i.number, text: i.text, status: i.status })),
    tasters: tasters
      .filter((t) => t.audienceRoles.length === 0 || t.audienceRoles.includes(roleIn.get(t.programmeId)!))
      .map((t) => {
        const mine = t.signups.find((s) => s.personId === actor.person.id)?.status;
        return {
          id: t.id,
          title: t.title,
          when: formatWhen(t.startsAt, pref.timeZone),
          placesLeft: placesLeft(t.capacity, t.signups),
          mine: MINE.find((m) => m === mine),
        };
      }),
    learningSets: current.flatMap((s) => (s.mine ? [{ id: s.id, name: s.name, next: s.nextMeeting, mine: s.mine }] : [])),
    runSets: current
      .filter((s) => roleCan(roleIn.get(s.programmeId)!, "panel.manage"))
      .map((s) => ({ id: s.id, name: s.name, next: s.nextMeeting, placesLeft: s.placesLeft, waiting: s.waiting })),
    prefs: { timeZone: pref.timeZone, quiet: homeText.quietHours(formatClockTime(pref.quietStart), formatClockTime(pref.quietEnd)), paused: Boolean(pref.pausedAt) },
  };
}
