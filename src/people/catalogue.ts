import { button, buttons, facts, heading, message, note, para, type ActionCall, type Block, type Message } from "../messages/model.ts";
import { ROLE_LABELS, nameWithoutRole, type Role } from "../roles.ts";
import { consentInputs, consentText, YES_NO } from "./consent-catalogue.ts";
import { ROLE_EXPLAINED, rosterText, supportBlocks, WHO_IS_WHO } from "./together-catalogue.ts";

export * from "./consent-catalogue.ts";
export * from "./together-catalogue.ts";


export const peopleText = {
  whatWeStore:
    "We store your answers, ideas and sign-ups so the programme can act on them. " +
    "The facilitators and commissioners see your name next to your ideas. " +
    "The evaluation team only sees your role (for example \"Carer\" or \"Clinician\"), never your name. " +
    "Small groups are hidden so nobody can work out who said what.",
  notAPerson: "wesaid is a computer program, not a person.",
};


export function welcome(p: { programmeName: string; description: string; role: Role; programmeId: string; policyVersion: number; consentText?: string; supportText?: string }): Message {
  return message(
    `Welcome to ${p.programmeName}`,
    heading(`Welcome to ${p.programmeName}`),
    p.description ? para(p.description) : null,
    para(
      `You have joined as: ${ROLE_LABELS[p.role]}. Between meetings, wesaid will send you short questions, ` +
        "tell you what happened to your ideas, and let you sign up to sessions.",
    ),
    heading(rosterText.whoIsWho),
    facts(WHO_IS_WHO.map((role) => [ROLE_LABELS[role], ROLE_EXPLAINED[role]])),
    note(rosterText.seeWho),
    heading("What we keep and who sees it"),
    para(p.consentText ?? peopleText.whatWeStore),
    note(`${peopleText.notAPerson} You can pause it, change your choices, see your data or ask us to delete it at any time. Type help to see how.`),
    {
      kind: "form",
      id: "consent",
      title: "Your choices",
      openLabel: "Make your choices",
      submitLabel: "Save my choices",
      submit: { action: "people.consent", args: { programmeId: p.programmeId, policyVersion: String(p.policyVersion) } },
      inputs: consentInputs(),
    },
    buttons(button("Set quiet hours and time zone", "people.prefs", { programmeId: p.programmeId }), button("Catch up on what you missed", "people.catch_up", { programmeId: p.programmeId })),
    ...supportBlocks([{ programmeName: p.programmeName, text: p.supportText ?? "" }]),
  );
}

/** Leaving a programme, which keeps what they told us. */
export function leaveConfirm(p: { programmeName: string; programmeId: string }): Message {
  return message(
    `Leave ${p.programmeName}?`,
    heading(`Leave ${p.programmeName}?`),
    para(
      "We will stop sending you anything from this programme. What you told us stays, under the choices you made. " +
        "To delete it, type forget-me instead. You can join again later.",
    ),
    buttons(button("Yes, leave", "people.leave.confirm", { programmeId: p.programmeId }, { style: "danger" }), button("No, stay", "people.leave.cancel")),
  );
}

export const leaveText = {
  left: (programme: string) => `You have left ${programme}. We will not send you anything more from it. To come back, type join in its channel.`,
  stayed: "You are still in the programme.",
  notInIt: "You are not in that programme.",
  lastFacilitator: "You are the only facilitator here. Please give that role to someone else first, then leave.",
};

export function chooseRole(p: { programmeName: string; programmeId: string; roles: Role[]; invite: string }): Message {
  return message(
    `Join ${p.programmeName}`,
    para(`Which of these best describes you in ${p.programmeName}?`),
    buttons(...p.roles.map((role) => button(ROLE_LABELS[role], "people.join", { programmeId: p.programmeId, role, invite: p.invite }))),
    note("If you are a commissioner, facilitator or evaluator, ask a facilitator to add you with that role."),
  );
}

export const joinText = {
  alreadyMember: (name: string, role: Role) => `You are already in ${name}, as ${ROLE_LABELS[role]}.`,
  joined: (name: string) => `You have joined ${name}. I have sent you a private message to say hello.`,
  channelNotLinked: "This channel is not part of a programme yet. A facilitator can type setup followed by the programme name here.",
  joinInChannel: "To join a programme, type join in its channel, or ask a facilitator to add you.",
  notSelfChosen: "You cannot choose that role yourself. Please ask a facilitator to add you with it.",
  programmeCreated: (name: string) =>
    `${name} is set up in this channel, and you are its facilitator. People can now type join here. To add someone with a role, type role @name commissioner.`,
  channelAlreadyLinked: (name: string) => `This channel is already part of ${name}.`,
  roleAssigned: (who: string, role: Role, programme: string) => `${nameWithoutRole(who)} is now ${ROLE_LABELS[role]} in ${programme}.`,
  whoIsMeant: "Please say who you mean, like this: role @name commissioner.",
  setupInChannel: "Please type setup in the channel the programme will use, not in a private chat.",
  setupNotAllowed: (roles: string[]) =>
    `Sorry, only a ${roles.join(" or ").toLowerCase()} of a programme can set up another one. Please ask one of them to set it up, or to add you with that role.`,
};

export function channelAnnouncement(p: { programmeName: string }): Message {
  return message(
    `wesaid is now running ${p.programmeName} here`,
    heading(`wesaid is now running ${p.programmeName} in this channel`),
    para("Type join to take part. You will get short questions, news about ideas, and sign-ups for sessions."),
  );
}

/** One set of questions in prefs: stopped ones can be started again, the others stopped. */
function questionChoice(q: { seriesId: string; title: string; stopped: boolean }) {
  return [
    para(q.stopped ? `"${q.title}": you stopped these. We do not send them to you.` : `"${q.title}": you get these.`),
    buttons(
      q.stopped
        ? button("Send them again", "prompt.series.restart", { seriesId: q.seriesId })
        : button("Stop these questions", "prompt.series.stop", { seriesId: q.seriesId }),
    ),
  ];
}

const PLATFORM_WORDS = { slack: "Slack", teams: "Teams", local: "this browser" } as const;
type PlatformName = keyof typeof PLATFORM_WORDS;

/** The zone in use, and in plain words where it comes from. */
function zoneInUse(zone: string, from: PlatformName | "chosen" | "default" | null | undefined): string {
  if (from === "chosen") return `${zone} (you chose this)`;
  if (from === "default") return `${zone} (we use this when we do not know yours)`;
  return from ? `${zone} (from ${PLATFORM_WORDS[from]})` : zone;
}

/** The way back to the chat platform's zone, for someone who chose one: the zone it last told us, or the usual one. */
function followPlatformButton(p: { programmeId: string; platform: PlatformName; zone: string; reported: boolean }) {
  const label = p.reported ? `Use the time zone from ${PLATFORM_WORDS[p.platform]} (now ${p.zone})` : `Use the usual time zone (${p.zone})`;
  return buttons(button(label, "people.prefs.zone.follow", { programmeId: p.programmeId }));
}

export const zoneText = {
  follows: (platform: PlatformName, zone: string) => `Your time zone now comes from ${PLATFORM_WORDS[platform]}: ${zone}. When it changes there, it changes here.`,
  usual: (zone: string) => `Your time zone is the usual one again: ${zone}.`,
  already: "You have not chosen a time zone, so there is nothing to change.",
};

export function preferencesForm(p: {
  /** The sets of questions they get or stopped (none shown when absent). */
  questions?: { seriesId: string; title: string; stopped: boolean }[];
  programmeId: string;
  timeZone: string;
  /** Where the zone in use comes from: chosen here, a chat platform, or the default (nothing said when absent). */
  timeZoneFrom?: PlatformName | "chosen" | "default" | null;
  /** For someone who chose a zone: the platform to follow again, and the zone it last told us (null if none). */
  followPlatform?: { platform: PlatformName; zone: string; reported: boolean } | null;
  quietStart: string;
  quietEnd: string;
  reminderLimit: number;
  paused: boolean;
  participation: boolean | null;
  quotation: boolean | null;
  consentVersion: number;
}): Message {
  const yn = (v: boolean | null) => (v === null ? "Not chosen yet" : v ? "Yes" : "No");
  return message(
    "Your preferences",
    heading("Your preferences"),
    facts([
      ["Your time zone", zoneInUse(p.timeZone, p.timeZoneFrom)],
      ["Quiet hours", `${p.quietStart} to ${p.quietEnd} (we send nothing then)`],
      ["Reminders", p.reminderLimit === 0 ? "None" : `At most ${p.reminderLimit} for each question`],
      ["Messages", p.paused ? "Paused" : "On"],
      ["Store what I tell you", yn(p.participation)],
      ["Quote me by role", yn(p.quotation)],
    ]),
    p.followPlatform && followPlatformButton({ programmeId: p.programmeId, ...p.followPlatform }),
    {
      kind: "form",
      id: "prefs",
      title: "Change your preferences",
      openLabel: "Change preferences",
      submitLabel: "Save",
      submit: { action: "people.prefs.save", args: { programmeId: p.programmeId } },
      inputs: [
        { kind: "text", id: "timeZone", label: "Time zone (for example Europe/London)", initial: p.timeZone },
        { kind: "text", id: "quietStart", label: "Quiet hours start (24-hour clock, like 21:00)", initial: p.quietStart },
        { kind: "text", id: "quietEnd", label: "Quiet hours end (like 08:00)", initial: p.quietEnd },
        {
          kind: "single",
          id: "reminderLimit",
          label: "How many reminders may we send for each question?",
          options: ["0", "1", "2", "3"].map((v) => ({ value: v, label: v === "0" ? "None" : v })),
          initial: String(p.reminderLimit),
        },
      ],
    },
    {
      kind: "form",
      id: "consent",
      title: "Change your choices",
      openLabel: "Change what we store",
      submitLabel: "Save my choices",
      submit: { action: "people.consent", args: { programmeId: p.programmeId, policyVersion: String(p.consentVersion) } },
      inputs: consentInputs(p.participation, p.quotation),
    },
    buttons(
      p.paused ? button("Resume messages", "people.resume") : button("Pause messages", "people.pause"),
      button("Read what we keep", "people.consent.ask", { programmeId: p.programmeId }),
      p.participation ? button("Stop taking part", "people.withdraw", { programmeId: p.programmeId }, { style: "danger" }) : null,
    ),
    Boolean(p.questions?.length) && heading("Your sets of questions"),
    ...(p.questions ?? []).flatMap(questionChoice),
  );
}

export const prefsText = {
  saved: "Your preferences are saved.",
  badTime: "Please write times on the 24-hour clock, like 21:00 or 08:30.",
  paused: "Messages are paused. We will not send you anything until you type resume. Nothing you already told us is lost.",
  alreadyPaused: "Your messages are already paused. Type resume when you are ready.",
  resumed: "Welcome back. Messages are on again.",
  notPaused: "Your messages are already on.",
};

/** "my data" from someone who has not joined any programme: no row holds anything about them. */
export const myDataNothing = "We do not store anything about you. You have not joined a programme.";

export function myData(p: { summaryLines: string[]; consentLines: string[]; json: string }): Message {
  return message(
    "Everything we store about you",
    heading("Everything we store about you"),
    para(p.summaryLines.join("\n")),
    heading("Your choices about what we keep"),
    para(p.consentLines.join("\n") || "You have not made any choices yet."),
    { kind: "file", filename: "my-wesaid-data.json", mimeType: "application/json", content: p.json, label: "Download all of it (JSON file)" },
    note("To have all of this deleted, type forget-me."),
  );
}

export function forgetConfirm(): Message {
  return message(
    "Delete everything about you?",
    heading("Delete everything about you?"),
    para(
      "This deletes your name, your chat accounts, your choices, your sign-ups and the words you wrote, " +
        "here and in copies we posted or kept. " +
        "Numbers you gave (like a score out of 10) stay, with no link to you, so the programme's totals stay right. " +
        "Answers to questions asked without names stay too: nobody can tell they are yours, so nor can we. " +
        "This cannot be undone.",
    ),
    buttons(button("Yes, delete everything", "people.forget.confirm", {}, { style: "danger" }), button("No, keep it", "people.forget.cancel")),
  );
}

export const forgetText = {
  done: "Done. We have deleted everything about you. Thank you for the time you gave. If you come back, you will start fresh.",
  cancelled: "Nothing has been deleted.",
  /** Put in place of the words of an idea whose author asked us to forget them. */
  removedIdea: "An idea from someone who has left. Their words were removed at their request.",
  /** Put in place of a person's words wherever a copy was kept or posted. */
  removedWords: "(Words removed at the request of the person who wrote them.)",
  /** Put in place of a person's name in a message or a note. */
  someoneWhoLeft: "someone who has left",
};

export function catchUp(p: { programmeName: string; updates: { text: string; when: string }[]; openItems: { number: number; text: string; status: string }[] }): Message {
  return message(
    `Catching up on ${p.programmeName}`,
    heading(`Catching up on ${p.programmeName}`),
    para(p.updates.length ? "What the team did recently:" : "There have been no updates yet."),
    ...p.updates.map((u) => para(`• ${u.when}: ${u.text}`)),
    para(p.openItems.length ? "Ideas people have raised that are still open:" : "There are no open ideas right now."),
    ...p.openItems.map((i) => para(`• #${i.number} ${i.text} (${i.status})`)),
    note("You can add your own idea at any time: type suggest followed by your idea."),
  );
}

/** How each kind of time given is named to the person. */
export const CONTRIBUTION_LABELS: Record<string, string> = {
  answer: "answered questions",
  suggestion: "shared ideas",
  panel: "sat on panels",
  debrief: "gave feedback after panels",
  taster: "went to taster sessions",
};

export const contributionLine = (kind: string, times: number) => `${CONTRIBUTION_LABELS[kind] ?? kind}: ${times} time${times === 1 ? "" : "s"}`;

/** The short summary above the "my data" file. */
export function myDataSummary(d: { name: string; programmes: { programme: string; role: Role }[]; answers: number; ideas: number; tasterSignups: number; panels: number }): string[] {
  return [
    `Name: ${d.name}`,
    `Programmes: ${d.programmes.map((p) => `${p.programme} (${ROLE_LABELS[p.role]})`).join(", ") || "none"}`,
    `Answers: ${d.answers}`,
    `Ideas you raised: ${d.ideas}`,
    `Taster sign-ups: ${d.tasterSignups}`,
    `Panels: ${d.panels}`,
  ];
}

export function myTime(p: { totalMinutes: number; lines: string[] }): Message {
  const hours = Math.floor(p.totalMinutes / 60);
  const minutes = p.totalMinutes % 60;
  const total = hours ? `${hours} hour${hours === 1 ? "" : "s"}${minutes ? ` ${minutes} minutes` : ""}` : `${minutes} minutes`;
  return message(
    "The time you have given",
    heading("Thank you for the time you have given"),
    para(p.totalMinutes ? `About ${total} so far.` : "Nothing is recorded yet."),
    ...p.lines.map((l) => para(`• ${l}`)),
  );
}

export function unreachableReport(p: { displayName: string; platform?: string; detail?: string | null }): Message {
  const platform = p.platform ?? "chat";
  const detail = p.detail ?? "no reason given";
  const fix =
    platform === "teams"
      ? "Ask them to add the wesaid app in Teams (Apps, then search for wesaid), or ask your IT team to install it for them."
      : platform === "slack"
        ? "Ask them to open wesaid in Slack once (under Apps), or check they are still in the workspace."
        : "Ask them to open wesaid once.";
  return message(
    `We could not reach ${p.displayName}`,
    heading(`We could not reach ${p.displayName}`),
    para(`Messages to ${p.displayName} on ${platform} are not getting through: ${detail}.`),
    para(fix),
    note("We will try again when they next use wesaid."),
  );
}

export function help(p: { lines: { usage: string; summary: string }[] }): Message {
  return message(
    "What you can do with wesaid",
    heading("What you can do"),
    ...p.lines.map((l) => para(`${l.usage}: ${l.summary}`)),
    note(peopleText.notAPerson + " If talking about your experiences brings up difficult feelings, you can stop at any time. Type support to see who can help."),
  );
}

export function chooseProgramme(p: { programmes: { id: string; name: string }[]; action: string; args: Record<string, string>; people?: ActionCall["people"] }): Message {
  return message(
    "Which programme?",
    para("You are in more than one programme. Which one is this about?"),
    buttons(...p.programmes.map((prog) => button(prog.name, p.action, { ...p.args, programmeId: prog.id }, p.people && Object.keys(p.people).length ? { call: { action: p.action, args: { ...p.args, programmeId: prog.id }, people: p.people } } : {}))),
  );
}

export function errorMessage(text: string): Message {
  return message(text, para(text));
}

/** Nothing was stored: the reason, and the consent question offered again. */
export function consentNeeded(text: string, programmeId: string): Message {
  return message(text, para(text), buttons(button(consentText.answerAgain, "people.consent.ask", { programmeId })));
}

export function done(text: string): Message {
  return message(text, para(text));
}

/** The "help" lines for this loop's commands. */
export const commandHelp = {
  setup: { usage: "setup <programme name>", summary: "Start a programme in this channel. You become its facilitator." },
  join: { usage: "join", summary: "Join the programme of this channel." },
  support: { usage: "support", summary: "See who you can talk to if taking part brings up hard feelings." },
  supportWords: { usage: "support-words <who people can contact>", summary: "Show or change the support contacts people are offered." },
  quiet: { usage: "quiet [weeks]", summary: "See, privately, who has not taken part for a while, with a kind message you could send them." },
  roles: { usage: "roles", summary: "See who is in the programme, by role, and what each role does." },
  role: { usage: "role @name <role>", summary: "Add someone to the programme with a role, or change their role." },
  prefs: { usage: "prefs", summary: "See and change your quiet hours, reminders and choices, and stop or restart each set of questions." },
  pause: { usage: "pause", summary: "Stop all messages until you say resume." },
  resume: { usage: "resume", summary: "Start messages again." },
  catchUp: { usage: "catch-up", summary: "See recent updates and open ideas." },
  myTime: { usage: "my-time", summary: "See the time you have given." },
  myData: { usage: "my-data", summary: "See everything we store about you." },
  forgetMe: { usage: "forget-me", summary: "Ask us to delete everything about you." },
  consent: { usage: "consent", summary: "Read what we keep, and say yes or no to taking part." },
  withdraw: { usage: "withdraw", summary: "Stop taking part at once. We store nothing more and send you nothing." },
  leave: { usage: "leave", summary: "Leave this programme. What you told us stays unless you type forget-me." },
  consentWords: { usage: "consent-words <new words>", summary: "Change what people agree to. Everyone is asked again." },
};
