import { button, buttons, facts, heading, message, note, para, type Block, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";
import { inviteFile } from "../calendar/index.ts";
import { DEFAULT_OFFER_HOLD_HOURS, offerHoldInput } from "../tasters/index.ts";
import type { PanelView } from "./catalogue.ts";

/** Every sentence people see about action learning sets. */

export type SetView = {
  id: string;
  programmeId: string;
  name: string;
  purpose: string;
  /** Already formatted for the reader: "Every 3 months, 4 meetings" or a list of dates. */
  howOften: string;
  nextMeeting: string | null;
  audience: string;
  capacity: number;
  members: number;
  /** Places not held by a member or by someone offered one (the taster rules' count). */
  placesLeft: number;
  waiting: number;
  /** The reader's own place: in the group, waiting (with their place in the queue), or not in it. */
  mine: { status: "booked" } | { status: "offered" } | { status: "waitlisted"; position: number } | null;
  open: boolean;
  ended: boolean;
};

export const setText = {
  notFound: "Sorry, I cannot find that learning set.",
  created: (name: string) => `${name} is set up. People can join it with the learning-set command. I will plan each meeting four weeks ahead, remind members the day before and ask them to reflect afterwards.`,
  badHowOften: 'Please say how often it meets, like "every 3 months" or "four times a year", or list the dates, like 2027-01-12 10:00, 2027-04-12 10:00.',
  firstNeeded: "Please give the date and time of the first meeting, like 2027-01-12 10:00.",
  inPast: "The first meeting has already passed. Please choose a time in the future.",
  badTime: (label: string) => `Please write "${label}" as a date and time, like 2027-01-12 10:00.`,
  closed: "Sorry, this learning set has had its last meeting, so you cannot join it now.",
  wrongRole: (audience: string) => `Sorry, this learning set is for: ${audience}. Ask a facilitator if you think it should be open to you too.`,
  joined: (name: string) => `You are in ${name}. I will remind you the day before each meeting, and ask how it went afterwards.`,
  waitlisted: (name: string, position: number) => `${name} is full. You are number ${position} on the waiting list. I will tell you if a place comes free.`,
  already: (name: string) => `You are already in ${name}.`,
  alreadyWaiting: (name: string, position: number) => `You are already on the waiting list for ${name}. You are number ${position}.`,
  left: (name: string) => `You have left ${name}. You will not get its reminders any more. What you said before stays, unless you ask us to forget you.`,
  notIn: "You are not in this learning set.",
  offeredAlready: (name: string) => `A place in ${name} is being held for you. Look for my private message to take it.`,
  accepted: (name: string) => `The place is yours. You are in ${name}. I will remind you the day before each meeting, and ask how it went afterwards.`,
  declined: "Thank you for letting us know. We have offered the place to the next person waiting.",
  offerGone: "Sorry, this offer has ended and the place has gone to someone else. You can join the waiting list again.",
  ended: (name: string) => `Sorry, ${name} has ended, so you cannot join it now.`,
  alreadyEnded: (name: string) => `${name} has already ended.`,
  endedDone: (name: string) => `${name} has ended. I will plan no more meetings, and I have told the people in it and those waiting.`,
  endConfirm: "End this group now? No more meetings will happen, and everyone in it or waiting will be told.",
  badLink: "Please give the online link as a web address starting with https://",
  comingNeeded: "Please list at least one meeting still to come. To stop the meetings, end the group instead.",
  comingInPast: (when: string) => `The meeting on ${when} would already have started. Please choose times in the future.`,
  badComing: "Please list the meetings still to come as dates and times, with commas between them, like 2027-01-12 10:00, 2027-04-12 10:00.",
  tooSmall: (members: number) =>
    `There ${members === 1 ? "is 1 person" : `are ${members} people`} in the group, so it needs at least ${members} places. Nobody has been taken out. To make it smaller, ask someone to leave first.`,
  changedTold: (name: string, told: number) =>
    told === 0 ? `Your changes to ${name} are saved. Nobody in the group needed to be told.` : `Your changes to ${name} are saved. I have told the ${told === 1 ? "person" : `${told} people`} in the group privately.`,
  changedQuiet: (name: string) => `Your changes to ${name} are saved. Nothing the members need to know about changed, so I have not messaged them.`,
};

/** One thing about a set that changed, as the people in it are told it. */
export type SetChange =
  | { kind: "renamed"; from: string; to: string }
  | { kind: "moved"; number: number; from: string; to: string }
  | { kind: "calledOff"; number: number; when: string }
  | { kind: "added"; number: number; when: string }
  | { kind: "length"; hours: number }
  | { kind: "place"; location: string | null }
  | { kind: "link"; url: string | null };

const hoursText = (h: number) => (h === 1 ? "1 hour" : `${h} hours`);

export function changeLine(c: SetChange): string {
  switch (c.kind) {
    case "renamed":
      return `The group is now called ${c.to}. It used to be called ${c.from}.`;
    case "moved":
      return `Meeting ${c.number} has moved. It was on ${c.from}. It is now on ${c.to}.`;
    case "calledOff":
      return `Meeting ${c.number}, on ${c.when}, will not happen.`;
    case "added":
      return `There is a new meeting: meeting ${c.number}, on ${c.when}.`;
    case "length":
      return `Each meeting now lasts ${hoursText(c.hours)}.`;
    case "place":
      return c.location ? `The group now meets at: ${c.location}.` : "The group no longer has a place to meet in person.";
    case "link":
      return c.url ? `The online link for the meetings is now: ${c.url}` : "The meetings no longer have an online link.";
  }
}

/** To each person in a set, privately, when the facilitator changes something they need to know. */
export function setChanged(p: { name: string; changes: SetChange[] }): Message {
  return message(
    `Changes to ${p.name}`,
    heading(`Changes to ${p.name}`),
    para("The person who runs the group has made these changes:"),
    ...p.changes.map((c) => para(changeLine(c))),
    note("I will remind you the day before each meeting, at its new time. If a new time does not suit you, please tell the person who runs the group."),
  );
}

/** What the change form starts with: the set as it is now, in the facilitator's time zone. */
export type SetNow = { id: string; name: string; purpose: string; coming: string; hours: number; capacity: number; location: string; onlineUrl: string; offerHoldHours: number };

export function changeSetForm(p: SetNow & { timeZone: string }): Message {
  return message(
    `Change ${p.name}`,
    heading(`Change ${p.name}`),
    para("Change what you need and save. People in the group will be told privately about a new name, moved or new meetings, and a new place or link."),
    {
      kind: "form",
      id: "learning-set-change",
      title: "Change the group",
      openLabel: "Change the group",
      submitLabel: "Save the changes",
      submit: { action: "learningset.save", args: { setId: p.id } },
      inputs: [
        { kind: "text", id: "name", label: "Name of the group", maxLength: 120, initial: p.name },
        { kind: "text", id: "purpose", label: "What is it for, in plain words?", multiline: true, optional: true, maxLength: 2000, initial: p.purpose },
        { kind: "text", id: "coming", label: `Meetings still to come (like 2027-01-12 10:00, ${p.timeZone} time), with commas between them`, multiline: true, maxLength: 1000, initial: p.coming },
        { kind: "text", id: "hours", label: "How long is each meeting, in hours?", maxLength: 4, initial: String(p.hours) },
        { kind: "text", id: "location", label: "Where does it meet? An address or room", optional: true, maxLength: 300, initial: p.location },
        { kind: "text", id: "onlineUrl", label: "Online link, if it meets online", optional: true, maxLength: 500, initial: p.onlineUrl },
        { kind: "text", id: "capacity", label: "How many people can be in the group?", maxLength: 4, initial: String(p.capacity) },
        offerHoldInput(p.offerHoldHours),
      ],
    },
  );
}

export function howOftenText(p: { unit?: "week" | "month"; interval?: number; count: number; dates?: string[] }): string {
  if (p.dates) return p.dates.join("; ");
  const every = p.interval === 1 ? `Every ${p.unit}` : `Every ${p.interval} ${p.unit}s`;
  return `${every}, ${p.count} ${p.count === 1 ? "meeting" : "meetings"}`;
}

export function newSetForm(p: { programmeId: string; timeZone: string; roles: readonly Role[] }): Message {
  return message(
    "Set up a learning set",
    heading("Set up an action learning set"),
    para("A small group that meets again and again. People join the group once. Before each meeting I remind them, and afterwards I ask each of them privately how it went."),
    {
      kind: "form",
      id: "learning-set-new",
      title: "New learning set",
      openLabel: "Set up a learning set",
      submitLabel: "Set it up",
      submit: { action: "learningset.create", args: { programmeId: p.programmeId } },
      inputs: [
        { kind: "text", id: "name", label: "Name of the group", maxLength: 120 },
        { kind: "text", id: "purpose", label: "What is it for, in plain words?", multiline: true, optional: true, maxLength: 2000 },
        { kind: "datetime", id: "first", label: `First meeting (like 2027-01-12 10:00, ${p.timeZone} time)` },
        { kind: "text", id: "howOften", label: 'How often? Like "every 3 months", or the other dates', maxLength: 1000 },
        { kind: "text", id: "meetings", label: "How many meetings? We plan 4 unless you say", optional: true, maxLength: 3 },
        { kind: "text", id: "hours", label: "How long is each meeting, in hours? We plan 2 unless you say", optional: true, maxLength: 4 },
        { kind: "text", id: "capacity", label: "How many people can be in the group?", maxLength: 4 },
        { kind: "text", id: "location", label: "Where does it meet? An address or room", optional: true, maxLength: 300 },
        { kind: "text", id: "onlineUrl", label: "Online link, if it meets online", optional: true, maxLength: 500 },
        offerHoldInput(DEFAULT_OFFER_HOLD_HOURS),
        { kind: "multi", id: "audienceRoles", label: "Who may join? Choose nobody to let everyone join", options: p.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })), optional: true },
      ],
    },
  );
}

function placeText(v: SetView): string {
  if (v.ended) return "This group has ended.";
  if (v.mine?.status === "booked") return "You are in this group.";
  if (v.mine?.status === "offered") return "A place is being held for you.";
  if (v.mine?.status === "waitlisted") return `You are number ${v.mine.position} on the waiting list.`;
  if (v.members < v.capacity) return `${v.capacity - v.members} of ${v.capacity} places free.`;
  return v.waiting > 0 ? `The group is full. ${v.waiting} on the waiting list. You can join it.` : "The group is full. You can join the waiting list.";
}

export function setList(p: { sets: SetView[]; canManage: boolean }): Message {
  const blocks: (Block | null)[] = [heading("Action learning sets")];
  if (p.sets.length === 0) blocks.push(para("There are no learning sets to join yet."));
  for (const v of p.sets) {
    blocks.push(
      { kind: "divider" },
      heading(v.name),
      v.purpose ? para(v.purpose) : null,
      facts([
        ["How often", v.howOften],
        ["Next meeting", v.nextMeeting ?? undefined],
        ["Who may join", v.audience],
        ["Places", placeText(v)],
      ]),
    );
    if (v.mine?.status === "offered") blocks.push(offerButtons(v.id));
    else if (v.mine && !v.ended) blocks.push(buttons(button(v.mine.status === "booked" ? "Leave the group" : "Leave the waiting list", "learningset.leave", { setId: v.id })));
    else if (v.open) blocks.push(buttons(button(v.members < v.capacity ? "Join the group" : "Join the waiting list", "learningset.join", { setId: v.id })));
    if (p.canManage && !v.ended)
      blocks.push(buttons(button("Change this group", "learningset.change", { setId: v.id }), button("End this group early", "learningset.end", { setId: v.id }, { confirm: setText.endConfirm, style: "danger" })));
  }
  if (p.canManage) blocks.push(note("To set up a learning set, type learning-set new."));
  return message("Action learning sets", ...blocks);
}

const offerButtons = (setId: string) => buttons(button("Yes, I want the place", "learningset.accept", { setId }, { style: "primary" }), button("No, thank you", "learningset.decline", { setId }));

/** To the first person waiting, when a place comes free: held for them until `until`. */
export function placeOffered(p: { name: string; setId: string; until: string }): Message {
  return message(
    `A place came free in ${p.name}`,
    heading(`A place came free in ${p.name}`),
    para(`You were first on the waiting list, so we are holding the place for you until ${p.until}. Do you want it?`),
    offerButtons(p.setId),
    note("If we do not hear from you by then, we will offer it to the next person."),
  );
}

/** When nobody answered an offer in time. */
export function offerExpired(p: { name: string }): Message {
  return message(
    `The place in ${p.name} has gone to someone else`,
    para(`We held a place in ${p.name} for you, but did not hear back in time, so we have offered it to the next person. You can join the waiting list again with the learning-set command.`),
  );
}

/** To everyone in a set, offered a place or waiting, when a facilitator ends it early. */
export function setEnded(p: { name: string; member: boolean }): Message {
  return message(
    `${p.name} has ended`,
    heading(`${p.name} has ended`),
    para(p.member ? "The person who runs the group has ended it. There will be no more meetings, so I will not remind you any more." : "The person who runs the group has ended it, so you are off its waiting list."),
    p.member ? note("What you said about meetings already held stays, unless you ask us to forget you.") : null,
  );
}

export function setReminder(v: PanelView, ics: string, where: { location: string | null; onlineUrl: string | null } = { location: null, onlineUrl: null }): Message {
  return message(
    `Reminder: ${v.title} is tomorrow`,
    heading(`Reminder: ${v.title}`),
    v.purpose ? para(v.purpose) : null,
    facts([
      ["When", v.when],
      ["Where", where.location ?? undefined],
      ["Online link", where.onlineUrl ?? undefined],
    ]),
    inviteFile("learning-set.ics", ics, "Add it to my calendar"),
    para("Afterwards, I will ask you a few short questions to help you reflect on it."),
    note("If you cannot come, please tell the person who runs the group."),
  );
}
