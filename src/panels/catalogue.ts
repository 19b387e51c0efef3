import { button, buttons, facts, heading, message, note, para, type Block, type Input, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";
import { inviteFile } from "../calendar/index.ts";

export type PanelView = {
  id: string;
  title: string;
  purpose: string;
  /** Already formatted for the reader. */
  when: string;
  /** The roles of the people on it, e.g. { expert_by_experience: 2, commissioner: 1 }. */
  roles: Partial<Record<Role, number>>;
  hasPrep: boolean;
  /** A meeting of an action learning set: its debrief is the reflection after it. */
  meeting?: boolean;
};

export type DebriefAnswer = { wentWell: string; couldImprove: string; listenedTo: string; changeNextTime: string };

const LISTENED = [
  { value: "yes", label: "Yes" },
  { value: "partly", label: "Partly" },
  { value: "no", label: "No" },
];
const listenedLabel = (v: string) => LISTENED.find((o) => o.value === v)?.label ?? v;

/** "2 Expert by experience, 1 Commissioner": who is on the panel, by role only. */
export function rolesText(roles: Partial<Record<Role, number>>): string {
  return (Object.entries(roles) as [Role, number][])
    .filter(([, n]) => n > 0)
    .map(([role, n]) => `${n} ${ROLE_LABELS[role]}`)
    .join(", ");
}

export const panelText = {
  created: (title: string, members: number, notTold = 0) =>
    `${title} is set up. I have told the ${members - notTold} ${members - notTold === 1 ? "person" : "people"} on it, privately.` +
    (notTold > 0 ? ` ${notTold} ${notTold === 1 ? "person has" : "people have"} paused messages or cannot be reached, so ${notTold === 1 ? "was" : "were"} not told.` : ""),
  notFound: "Sorry, I cannot find that panel.",
  notMember: "Only people who were on this panel can answer its debrief.",
  tooEarly: "The panel has not finished yet. I will send you the questions when it ends.",
  windowClosed: (date: string) => `Sorry, answers for this panel closed on ${date}.`,
  noMembers: "Please say who is on the panel, like this: @Jo @Priya.",
  unknownPerson: (who: string) => `I could not find ${who}. Please check the name, or ask them to join the programme first.`,
  notInProgramme: (name: string) => `${name} is not in this programme yet. Add them first with role @name, then try again.`,
  badTime: (label: string) => `Please write "${label}" as a date and time, like 2026-03-10 14:00.`,
  endBeforeStart: "The panel must end after it starts. Please check the times.",
  startInPast: "The start time has already passed. Please choose a time in the future.",
  somethingNeeded: "Please tell us at least whether you felt listened to.",
};

export function newPanelForm(p: { programmeId: string; timeZone: string }): Message {
  return message(
    "Set up a panel",
    heading("Set up a panel"),
    para("Everyone on the panel is told privately, with a calendar invite. When it ends, each of them is asked how it went."),
    {
      kind: "form",
      id: "panel-new",
      title: "New panel",
      openLabel: "Set up a panel",
      submitLabel: "Set it up",
      submit: { action: "panel.create", args: { programmeId: p.programmeId } },
      inputs: [
        { kind: "text", id: "title", label: "Name of the panel", maxLength: 120 },
        { kind: "text", id: "purpose", label: "What is it for, in plain words?", multiline: true, optional: true, maxLength: 2000 },
        { kind: "datetime", id: "startsAt", label: `Starts (like 2026-03-10 10:00, ${p.timeZone} time)` },
        { kind: "datetime", id: "endsAt", label: `Ends (like 2026-03-10 12:00, ${p.timeZone} time)` },
        { kind: "people", id: "members", label: "Who is on the panel?", multiple: true },
        { kind: "text", id: "prepPrompt", label: "Something to think about the day before", multiline: true, optional: true, maxLength: 2000 },
      ],
    },
  );
}

function panelFacts(v: PanelView): Block {
  return facts([
    ["When", v.when],
    ["Who is on it", rolesText(v.roles)],
  ]);
}

export function panelInvite(v: PanelView, ics: string): Message {
  return message(
    `You are on a panel: ${v.title}`,
    heading(`You are on a panel: ${v.title}`),
    v.purpose ? para(v.purpose) : null,
    panelFacts(v),
    inviteFile("panel.ics", ics, "Add it to my calendar"),
    para(
      (v.hasPrep ? "The day before, I will send you something to think about. " : "") +
        "Afterwards, I will ask you a few short questions about how it went. What you say helps make the next panel better.",
    ),
    note("wesaid is a computer program, not a person. If you cannot come, please tell the person who set up the panel."),
  );
}

export function prepPrompt(v: PanelView, prompt: string): Message {
  return message(
    `Before the panel: ${v.title}`,
    heading(`Before the panel: ${v.title}`),
    para(`The panel is on ${v.when}. Here is something to think about beforehand:`),
    para(prompt),
    note("You do not need to write anything down or send anything back."),
  );
}

function debriefInputs(initial?: DebriefAnswer): Input[] {
  return [
    { kind: "text", id: "wentWell", label: "What went well?", multiline: true, optional: true, maxLength: 2000, initial: initial?.wentWell || undefined },
    { kind: "text", id: "couldImprove", label: "What could be better?", multiline: true, optional: true, maxLength: 2000, initial: initial?.couldImprove || undefined },
    { kind: "single", id: "listenedTo", label: "Did you feel listened to?", options: LISTENED, initial: initial?.listenedTo },
    { kind: "text", id: "changeNextTime", label: "Anything you would change next time?", multiline: true, optional: true, maxLength: 2000, initial: initial?.changeNextTime || undefined },
  ];
}

function debriefFormBlock(panelId: string, initial?: DebriefAnswer): Block {
  return {
    kind: "form",
    id: "panel-debrief",
    title: initial ? "Change your answer" : "How did it go?",
    openLabel: initial ? "Change my answer" : "Tell us how it went",
    submitLabel: "Send",
    submit: { action: "panel.debrief", args: { panelId } },
    inputs: debriefInputs(initial),
  };
}

const whoSees =
  "The people who run the panel see your answers with your role only, never your name. " +
  "They only see your words if you agreed to be quoted.";

export function debriefForm(v: PanelView, p: { closes: string; initial?: DebriefAnswer }): Message {
  return message(
    v.meeting ? `Time to reflect on ${v.title}` : `${v.title}: how did it go?`,
    heading(v.meeting ? `Time to reflect on ${v.title}` : `Thank you for being on the panel: ${v.title}`),
    para("Four short questions about how it went. You can leave out any you like, except the one about being listened to."),
    debriefFormBlock(v.id, p.initial),
    note(`${whoSees} You can change your answer until ${p.closes}.`),
  );
}

export function debriefSaved(p: { panelId: string; title: string; answer: DebriefAnswer; closes: string }): Message {
  return message(
    "Thank you. Your answer is saved.",
    heading("Thank you. Your answer is saved."),
    facts([
      ["Panel", p.title],
      ["What went well", p.answer.wentWell || undefined],
      ["What could be better", p.answer.couldImprove || undefined],
      ["Did you feel listened to?", listenedLabel(p.answer.listenedTo)],
      ["Change next time", p.answer.changeNextTime || undefined],
    ]),
    debriefFormBlock(p.panelId, p.answer),
    note(`You can change your answer until ${p.closes}.`),
  );
}

export function panelList(p: {
  mine: { view: PanelView; debriefOpen: boolean }[];
  organised: { id: string; title: string; when: string }[];
  canManage: boolean;
}): Message {
  const blocks: (Block | null)[] = [heading("Your panels")];
  if (p.mine.length === 0) blocks.push(para("You are not on any panels coming up."));
  for (const { view, debriefOpen } of p.mine) {
    blocks.push({ kind: "divider" }, heading(view.title), view.purpose ? para(view.purpose) : null, panelFacts(view));
    if (debriefOpen) blocks.push(buttons(button("Tell us how it went", "panel.debrief.form", { panelId: view.id })));
  }
  if (p.canManage) {
    blocks.push({ kind: "divider" }, heading("Panels you run"));
    if (p.organised.length === 0) blocks.push(para("None yet."));
    for (const panel of p.organised) blocks.push(buttons(button(`${panel.title} (${panel.when}): how it went`, "panel.summary", { panelId: panel.id })));
    blocks.push(note("To set up a panel, type panel new."));
  }
  return message("Your panels", ...blocks);
}

export function summaryPick(p: { panels: { id: string; title: string; when: string }[] }): Message {
  return message(
    "Which panel?",
    heading("How did the panel go?"),
    p.panels.length ? para("Which panel?") : para("There are no panels to show yet."),
    ...p.panels.map((panel) => buttons(button(`${panel.title} (${panel.when})`, "panel.summary", { panelId: panel.id }))),
  );
}

/** `label` is the role, or "Someone" where fewer than N people of that role are on the panel. */
export type SummaryQuote = { debriefId: string; label: string; wentWell: string; couldImprove: string; changeNextTime: string };

export function panelSummary(p: {
  title: string;
  when: string;
  members: number;
  responded: number;
  listened: Record<"yes" | "partly" | "no", number>;
  quotes: SummaryQuote[];
  notQuoted: number;
}): Message {
  const blocks: (Block | null)[] = [
    heading(`${p.title}: how it went`),
    para(p.when),
    para(`${p.responded} of ${p.members} people on the panel have answered.`),
    facts([["Did they feel listened to?", `Yes: ${p.listened.yes}. Partly: ${p.listened.partly}. No: ${p.listened.no}.`]]),
  ];
  for (const q of p.quotes) {
    blocks.push(
      { kind: "divider" },
      facts([
        ["Said by", q.label],
        ["What went well", q.wentWell || undefined],
        ["What could be better", q.couldImprove || undefined],
        ["Change next time", q.changeNextTime || undefined],
      ]),
      // Only something to improve or change can become a "you said" item.
      q.couldImprove || q.changeNextTime ? buttons(button("Make this a \"you said\" item", "feedback.from_answer", { debriefId: q.debriefId })) : null,
    );
  }
  if (p.notQuoted > 0) {
    blocks.push(note(`${p.notQuoted} ${p.notQuoted === 1 ? "answer is" : "answers are"} counted above, but the words are not shown, because the person did not agree to be quoted.`));
  }
  blocks.push(note('Answers are shown with the person\'s role only, never their name. Where only a few people of a role are on the panel, it says "Someone" instead.'));
  return message(`${p.title}: how it went`, ...blocks);
}
