import { button, buttons, facts, heading, message, note, para, type Block, type Button, type Message } from "../messages/model.ts";

/** Every sentence the induction shows people. Short, plain English: one message a day over a newcomer's first days. */

export type RoleLine = { label: string; explained: string };
export type UpdateLine = { when: string; text: string };
export type IdeaLine = { id: string; number: number; text: string; status: string };
export type SessionLine = { id: string; title: string; when: string; placesLeft: number };
export type PanelLine = { title: string; when: string };

export const inductionText = {
  stopLabel: "Stop the introduction",
  stopNote: "This is part of a short introduction for people who join. You can stop it at any time.",
  stopped: "We will not send you any more of the introduction. Type catch-up at any time to see the news.",
  alreadyStopped: "The introduction is already stopped for you. Type catch-up at any time to see the news.",
  turnedOn: (programme: string) => `New members of ${programme} will get the introduction over their first days.`,
  turnedOff: (programme: string) => `New members of ${programme} will not get the introduction. Anyone part way through gets no more of it.`,
  state: (programme: string, on: boolean) =>
    on
      ? `New members of ${programme} get a short introduction over their first days. Type induction off to stop it.`
      : `New members of ${programme} do not get the introduction. Type induction on to start it.`,
  commandSummary: "Turn the introduction for new members on or off.",

  aboutTitle: (programme: string) => `About ${programme}: what it is for`,
  aboutIntro: "You joined after the programme started, so here is a short introduction. We will send one message a day for a few days.",
  noDescription: "The people running it will say more about what it is for.",
  whoIsWho: "Who does what",
  aboutHelp: "Type help to see what you can do. Type what is and a word, if a word is new to you.",

  decidedTitle: "What has been done so far",
  decidedIntro: "These are the latest things the people in charge did about ideas. We call them \"we did\" updates.",
  noneDecided: "Nothing has been reported as done yet. We will tell you when it is.",
  doneCount: (n: number) => (n === 1 ? "1 idea has been done so far." : `${n} ideas have been done so far.`),

  ideasTitle: "Ideas you can follow",
  ideasIntro: "These ideas are still open. Press \"This matters to me too\" to hear what happens to one.",
  noIdeas: "There are no open ideas just now. Type suggest and your idea to share one.",
  followLabel: (n: number) => `#${n} matters to me too`,

  comingTitle: "Coming up",
  tastersIntro: "Taster sessions let you try something out. You can sign up here.",
  noTasters: "There are no taster sessions coming up just now.",
  signUpLabel: (title: string) => `Sign up: ${title}`,
  places: (n: number) => (n === 0 ? "Full: you can join the waiting list" : n === 1 ? "1 place left" : `${n} places left`),
  panelsIntro: "Panels coming up. Ask a facilitator if you would like to take part.",
  lastNote: "That is the end of the introduction. Type catch-up at any time to see the news.",
};

const say = inductionText;

function stop(programmeId: string): Block[] {
  return [note(say.stopNote), buttons(button(say.stopLabel, "induction.stop", { programmeId }))];
}

export function aboutStep(p: { programmeId: string; programmeName: string; description: string; roles: RoleLine[] }): Message {
  return message(
    say.aboutTitle(p.programmeName),
    heading(say.aboutTitle(p.programmeName)),
    para(say.aboutIntro),
    para(p.description.trim() || say.noDescription),
    heading(say.whoIsWho),
    facts(p.roles.map((r) => [r.label, r.explained])),
    para(say.aboutHelp),
    ...stop(p.programmeId),
  );
}

export function decidedStep(p: { programmeId: string; updates: UpdateLine[]; doneCount: number }): Message {
  return message(
    say.decidedTitle,
    heading(say.decidedTitle),
    p.updates.length ? para(say.decidedIntro) : para(say.noneDecided),
    p.updates.length > 0 && facts(p.updates.map((u) => [u.when, u.text])),
    p.doneCount > 0 && para(say.doneCount(p.doneCount)),
    ...stop(p.programmeId),
  );
}

export function ideasStep(p: { programmeId: string; ideas: IdeaLine[] }): Message {
  const follow: Button[] = p.ideas.map((i) => button(say.followLabel(i.number), "feedback.follow", { itemId: i.id }));
  return message(
    say.ideasTitle,
    heading(say.ideasTitle),
    para(p.ideas.length ? say.ideasIntro : say.noIdeas),
    p.ideas.length > 0 && facts(p.ideas.map((i) => [`#${i.number}`, `${i.text} (${i.status})`])),
    follow.length > 0 && buttons(...follow),
    ...stop(p.programmeId),
  );
}

export function comingUpStep(p: { programmeId: string; tasters: SessionLine[]; panels: PanelLine[] }): Message {
  return message(
    say.comingTitle,
    heading(say.comingTitle),
    para(p.tasters.length ? say.tastersIntro : say.noTasters),
    p.tasters.length > 0 && facts(p.tasters.map((t) => [t.title, `${t.when}. ${say.places(t.placesLeft)}.`])),
    p.tasters.length > 0 && buttons(...p.tasters.map((t) => button(say.signUpLabel(t.title), "taster.signup", { tasterId: t.id }))),
    p.panels.length > 0 && para(say.panelsIntro),
    p.panels.length > 0 && facts(p.panels.map((x) => [x.title, x.when])),
    note(say.lastNote),
  );
}

export function done(text: string): Message {
  return message(text, para(text));
}
