import { DAY, HOUR } from "../../../src/clock.ts";
import type { Role } from "../../../src/roles.ts";
import type { TestPerson, World } from "../../support/world.ts";

export type Cast = Awaited<ReturnType<typeof cast>>;

/** Five experts by experience, two professionals, an evaluator; each of the seven answered one written question. */
export async function cast(world: World, name = "Mental health services review", options: { notQuoted?: string[] } = {}) {
  const programme = await world.programme(name);
  const evaluator = await world.person(programme, "Eve Evaluator", "evaluator");
  const people: [TestPerson, Role][] = [];
  for (const n of ["Ada Quill", "Bea Marsh", "Cal Rowe", "Dot Pike", "Eli Frost"]) people.push([await world.person(programme, n, "expert_by_experience", { quotation: !options.notQuoted?.includes(n) }), "expert_by_experience"]);
  for (const n of ["Pat Lowe", "Raj Bell"]) people.push([await world.person(programme, n, "professional", { quotation: !options.notQuoted?.includes(n) }), "professional"]);
  const when = new Date("2026-03-03T10:00:00Z");
  const series = await world.prisma.promptSeries.create({
    data: {
      programmeId: programme.id,
      title: "Weekly check-in",
      audienceRoles: ["expert_by_experience", "professional"],
      cron: "0 10 * * 2",
      timeZone: "Europe/London",
      questions: { create: [{ position: 0, kind: "text", text: "What went well?" }] },
    },
    include: { questions: true },
  });
  const occ = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: when, closesAt: new Date(when.getTime() + 7 * DAY) } });
  const answers: { id: string; person: TestPerson; role: Role }[] = [];
  for (const [i, [person, role]] of people.entries()) {
    const at = new Date(when.getTime() + HOUR + i * 60_000);
    await world.prisma.promptDelivery.create({ data: { occurrenceId: occ.id, personId: person.id, role, status: "answered", notBefore: when, sentAt: when, answeredAt: at } });
    const r = await world.prisma.promptResponse.create({
      data: { occurrenceId: occ.id, questionId: series.questions[0]!.id, personId: person.id, role, responseKey: `${occ.id}:${person.id}`, text: `Answer ${i} about the waiting room`, answeredAt: at, updatedAt: at },
    });
    answers.push({ id: r.id, person, role });
  }
  return { programme, evaluator, facilitator: programme.facilitator, people, answers, occurrence: occ };
}
