import { button, buttons, facts, heading, message, note, para, type Block, type Message } from "../messages/model.ts";
import { ROLE_LABELS, nameWithRole, nameWithoutRole, type Role } from "../roles.ts";

/** Sentences about being in a programme together: who is who, who has gone quiet, and where to find support. */

/** One sentence per role, said at the outset (the NDTi evaluation found roles were unclear). */
export const ROLE_EXPLAINED: Record<Role, string> = {
  commissioner: "They plan and pay for local health and care services. They answer ideas and say what was done.",
  expert_by_experience: "They know services from using them, or from caring for someone who does.",
  professional: "They work in services: for example nurses, doctors, artists and charity staff.",
  facilitator: "They run the programme day to day and set up the questions, sessions and panels.",
  evaluator: "They study how the programme goes. They see what people say by role, never by name.",
  admin: "They look after wesaid for the programme.",
};

export const WHO_IS_WHO: readonly Role[] = ["expert_by_experience", "professional", "commissioner", "facilitator", "evaluator"];

export const rosterText = {
  whoIsWho: "Who is who",
  seeWho: "Type roles to see who is in the programme.",
  title: (programme: string) => `Who is in ${programme}`,
  countOnly: "You see numbers, not names, because you are on the evaluation team.",
  people: (n: number) => (n === 1 ? "1 person" : `${n} people`),
};

export function rosterView(p: { programmeName: string; byRole: { role: Role; names: string[] }[]; namesShown: boolean }): Message {
  return message(
    rosterText.title(p.programmeName),
    heading(rosterText.title(p.programmeName)),
    ...p.byRole.flatMap((group) => [
      facts([[`${ROLE_LABELS[group.role]} (${rosterText.people(group.names.length)})`, p.namesShown ? group.names.map(nameWithoutRole).join(", ") : ROLE_EXPLAINED[group.role]]]),
      p.namesShown ? note(ROLE_EXPLAINED[group.role]) : null,
    ]),
    p.namesShown ? null : note(rosterText.countOnly),
  );
}

export const quietText = {
  title: (weeks: number) => `People who have not taken part for ${weeksText(weeks)} or more`,
  none: (weeks: number) => (weeks === 1 ? "Everyone has taken part in the last week." : `Everyone has taken part in the last ${weeks} weeks.`),
  lastTime: (date: string) => `Last took part on ${date}`,
  neverSince: (date: string) => `Has not taken part since joining on ${date}`,
  paused: (n: number) => `${n === 1 ? "1 person has" : `${n} people have`} paused their messages. They asked for a break, so please leave them be.`,
  withdrew: (n: number) => `${n === 1 ? "1 person has" : `${n} people have`} stopped taking part. Please respect that.`,
  anonymous: "Answers to anonymous questions do not count here, because we do not record who gave them.",
  onlyYou: "Only you can see this list. wesaid does not message these people about it.",
  suggestionTitle: "A kind message you could send",
  suggestion:
    "Hi, we have not heard from you for a while, and we wanted to check you are OK. " +
    "There is no pressure to take part. If you would like a break, or some help, just let me know.",
  otherWeeks: "Look back over",
  weeks: (n: number) => weeksText(n),
};

const weeksText = (n: number) => (n === 1 ? "1 week" : `${n} weeks`);

export function quietView(p: { weeks: number; quiet: { name: string; role: Role; line: string }[]; paused: number; withdrew: number; programmeId: string }): Message {
  return message(
    quietText.title(p.weeks),
    heading(quietText.title(p.weeks)),
    p.quiet.length === 0 ? para(quietText.none(p.weeks)) : facts(p.quiet.map((q) => [nameWithRole(q.name, q.role), q.line])),
    p.paused > 0 ? para(quietText.paused(p.paused)) : null,
    p.withdrew > 0 ? para(quietText.withdrew(p.withdrew)) : null,
    p.quiet.length > 0 ? heading(quietText.suggestionTitle) : null,
    p.quiet.length > 0 ? para(quietText.suggestion) : null,
    note(`${quietText.onlyYou} ${quietText.anonymous}`),
    buttons(...[2, 4, 8, 12].filter((n) => n !== p.weeks).map((n) => button(quietText.weeks(n), "people.quiet", { programmeId: p.programmeId, weeks: String(n) }))),
  );
}

export const supportText = {
  title: "If you need support",
  national: "If you need to talk to someone now, you can call Samaritans free on 116 123, day or night. In an emergency, call 999.",
  notSetYet: "Your facilitator has not added their own support contacts yet.",
  fromProgramme: (programme: string) => `Support from ${programme}:`,
  notAPerson: "wesaid is a computer program, not a person, so it cannot help in a crisis.",
  seeIt: "Type support at any time to see this again.",
  now: (text: string) => `People are offered these support contacts now:\n${text}`,
  none: "No support contacts are set yet, so people only see the national numbers.",
  howTo: "To change them, type support-words followed by the new words. For example: support-words Talk to Sam on 01234 567890, Monday to Friday.",
  saved: "Saved. People will see these support contacts in the welcome, in help, after hard questions and when they pause.",
  cleared: "Cleared. People will only see the national numbers.",
};

/** The support contacts as blocks, for any message that offers them. */
export function supportBlocks(contacts: { programmeName: string; text: string }[]): Block[] {
  const set = contacts.filter((c) => c.text.trim());
  return [
    heading(supportText.title),
    ...set.map((c) => para(set.length > 1 || contacts.length > 1 ? `${supportText.fromProgramme(c.programmeName)} ${c.text}` : c.text)),
    set.length === 0 ? para(supportText.notSetYet) : null,
    para(supportText.national),
    note(supportText.notAPerson),
  ].filter((b): b is Block => Boolean(b));
}

export function supportView(contacts: { programmeName: string; text: string }[]): Message {
  return message(supportText.title, ...supportBlocks(contacts), note(supportText.seeIt));
}

