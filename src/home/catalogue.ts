import { button, buttons, facts, heading, message, note, para, type Block, type Message } from "../messages/model.ts";
import { STATUS_WORDS } from "../feedback/index.ts";
import type { FeedbackStatus } from "../generated/prisma/enums.ts";

export type HomeView = {
  name: string;
  programmes: string[];
  openQuestions: { deliveryId: string; title: string; closes: string; answered: boolean }[];
  ideas: { number: number; text: string; status: FeedbackStatus }[];
  tasters: { id: string; title: string; when: string; placesLeft: number; mine?: "booked" | "waitlisted" | "offered" }[];
  /** The learning sets the person is in, waiting for or offered a place in. */
  learningSets: { id: string; name: string; next: string | null; mine: { status: "booked" | "offered" } | { status: "waitlisted"; position: number } }[];
  /** For facilitators: the learning sets in programmes they run, with places left and people waiting. */
  runSets: { id: string; name: string; next: string | null; placesLeft: number; waiting: number }[];
  prefs: { timeZone: string; quiet: string; paused: boolean };
};

export const homeText = {
  quietHours: (start: string, end: string) => `${start} to ${end}`,
};

const short = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One page with what matters to a person now: questions, their ideas, sessions, settings. */
export function home(v: HomeView): Message {
  const blocks: (Block | null)[] = [heading(`Hello, ${v.name}`), para(`You are in: ${v.programmes.join(", ")}.`)];

  blocks.push(heading("Questions for you"));
  if (v.openQuestions.length === 0) blocks.push(para("Nothing to answer right now."));
  for (const q of v.openQuestions) {
    blocks.push(
      facts([[q.title, `${q.answered ? "Answered. You can change your answers" : "Please answer"} by ${q.closes}`]]),
      buttons(button(q.answered ? "Change my answers" : "Answer now", "prompt.open", { deliveryId: q.deliveryId })),
    );
  }

  blocks.push(heading("Your ideas"));
  if (v.ideas.length === 0) blocks.push(para("You have not shared an idea yet. Type suggest and then your idea."));
  for (const i of v.ideas) blocks.push(para(`#${i.number} ${short(i.text)}: ${STATUS_WORDS[i.status]}.`));

  blocks.push(heading("Taster sessions coming up"));
  if (v.tasters.length === 0) blocks.push(para("None at the moment."));
  for (const t of v.tasters) {
    const state =
      t.mine === "booked" ? "You have a place." : t.mine === "waitlisted" ? "You are on the waiting list." : t.mine === "offered" ? "A place is being held for you." : t.placesLeft > 0 ? `${t.placesLeft} places left.` : "Full. You can join the waiting list.";
    blocks.push(
      facts([[t.title, `${t.when}. ${state}`]]),
      t.mine === "booked" || t.mine === "waitlisted"
        ? buttons(button("Cancel my place", "taster.cancel", { tasterId: t.id }))
        : t.mine === "offered"
          ? buttons(button("Take the place", "taster.accept", { tasterId: t.id }, { style: "primary" }))
          : buttons(button(t.placesLeft > 0 ? "Sign up" : "Join the waiting list", "taster.signup", { tasterId: t.id })),
    );
  }

  blocks.push(heading("Your learning sets"));
  if (v.learningSets.length === 0) blocks.push(para("You are not in a learning set. Type learning-set to see the groups you can join."));
  for (const s of v.learningSets) {
    const state = "position" in s.mine ? `You are number ${s.mine.position} on the waiting list.` : s.mine.status === "booked" ? "You are in this group." : "A place is being held for you.";
    blocks.push(
      facts([[s.name, `${s.next ? `Next meeting: ${s.next}.` : "No more meetings are planned."} ${state}`]]),
      s.mine.status === "offered" ? buttons(button("Take the place", "learningset.accept", { setId: s.id }, { style: "primary" })) : null,
    );
  }
  if (v.runSets.length > 0) {
    blocks.push(heading("Learning sets you run"));
    for (const s of v.runSets) {
      const places = s.placesLeft === 0 ? "Full." : s.placesLeft === 1 ? "1 place left." : `${s.placesLeft} places left.`;
      const waiting = s.waiting === 0 ? "Nobody waiting." : `${s.waiting} waiting.`;
      blocks.push(facts([[s.name, `${s.next ? `Next meeting: ${s.next}.` : "No more meetings are planned."} ${places} ${waiting}`]]), buttons(button("Change this group", "learningset.change", { setId: s.id })));
    }
  }

  blocks.push(
    heading("Your settings"),
    facts([
      ["Time zone", v.prefs.timeZone],
      ["Quiet hours", v.prefs.quiet],
      ["Messages", v.prefs.paused ? "Paused" : "On"],
    ]),
    buttons(button("Change settings", "people.prefs"), button("See the time you have given", "people.my_time")),
    note("Type help to see everything you can do."),
  );
  return message(`Your wesaid: ${v.openQuestions.filter((q) => !q.answered).length} questions to answer`, ...blocks);
}

/** The "help" lines for this loop's commands. */
export const commandHelp = {
  home: { usage: "home", summary: "See your questions, ideas, sessions, learning sets and settings on one page." },
};
