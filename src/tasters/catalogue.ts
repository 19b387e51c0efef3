import { button, buttons, facts, heading, message, note, para, type Block, type Input, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";
import { inviteFile } from "../calendar/index.ts";
import { DEFAULT_OFFER_HOLD_HOURS, MAX_OFFER_HOLD_HOURS } from "./rules.ts";

/** How long a freed place is held: the words and the form field, the same for tasters and learning sets. */
export const offerHoldText = {
  label: "When a place frees up, hold it for the next person for how many hours?",
  bounds: `Please say how many hours to hold a freed place for, as a whole number from 1 to ${MAX_OFFER_HOLD_HOURS} (a week).`,
};
export const offerHoldInput = (initial: number): Input => ({ kind: "text", id: "offerHoldHours", label: offerHoldText.label, initial: String(initial), optional: true });

/** What people see about one taster session. */
export type TasterView = {
  id: string;
  title: string;
  whatToExpect: string;
  /** Already formatted for the reader, e.g. "Tuesday 10 March, 2pm to 4pm". */
  when: string;
  location?: string | null;
  onlineUrl?: string | null;
  accessibility?: string | null;
  audienceRoles: Role[];
  placesLeft: number;
  capacity: number;
  waiting: number;
  cancelled?: boolean;
};

export function audienceText(roles: Role[]): string {
  return roles.length === 0 ? "Everyone in the programme" : roles.map((r) => ROLE_LABELS[r]).join(", ");
}

function placesText(v: TasterView): string {
  if (v.placesLeft > 0) return `${v.placesLeft} of ${v.capacity}`;
  return v.waiting > 0 ? `None. ${v.waiting} on the waiting list. You can join it.` : "None. You can join the waiting list.";
}

function details(v: TasterView): Block[] {
  return [
    heading("What to expect"),
    para(v.whatToExpect),
    facts([
      ["When", v.when],
      ["Where", v.location],
      ["Online link", v.onlineUrl],
      ["Access", v.accessibility || undefined],
      ["Who it is for", audienceText(v.audienceRoles)],
    ]),
  ];
}

/** The post in the programme's channel, updated in place as places change. */
export function tasterPost(v: TasterView): Message {
  if (v.cancelled) {
    return message(
      `Cancelled: ${v.title}`,
      heading(`Cancelled: ${v.title}`),
      para(`This taster session is not going ahead. It was planned for ${v.when}. Sorry.`),
      note("If you signed up, there is nothing else to do."),
    );
  }
  return message(
    `Taster session: ${v.title}`,
    heading(`Taster session: ${v.title}`),
    ...details(v),
    facts([["Places left", placesText(v)]]),
    buttons(button("Sign up", "taster.signup", { tasterId: v.id }, { style: "primary" }), button("Cancel my place", "taster.cancel", { tasterId: v.id })),
    note("Signing up is private. Nobody in this channel sees who signed up."),
  );
}

export function tasterList(p: { items: { view: TasterView; mine?: string; position?: number; canCancel?: boolean }[]; canManage: boolean }): Message {
  const blocks: (Block | null)[] = [heading("Taster sessions coming up")];
  if (p.items.length === 0) blocks.push(para("There are no taster sessions coming up right now."));
  for (const { view, mine, position, canCancel } of p.items) {
    blocks.push(
      { kind: "divider" },
      heading(view.title),
      para(view.whatToExpect),
      facts([
        ["When", view.when],
        ["Where", view.location],
        ["Online link", view.onlineUrl],
        ["Access", view.accessibility || undefined],
        ["Places left", placesText(view)],
        ["You", mine === "booked" ? "You have a place" : mine === "waitlisted" ? `Number ${position} on the waiting list` : mine === "offered" ? "A place is being held for you" : undefined],
      ]),
      mine === "booked" || mine === "waitlisted" || mine === "offered"
        ? buttons(button(mine === "waitlisted" ? "Leave the waiting list" : "Cancel my place", "taster.cancel", { tasterId: view.id }))
        : buttons(button("Sign up", "taster.signup", { tasterId: view.id }, { style: "primary" })),
      canCancel ? buttons(cancelSessionButton(view.id)) : null,
    );
  }
  if (p.canManage) blocks.push(note("To add a session, type taster new. To mark who came, type taster attendance."));
  return message("Taster sessions coming up", ...blocks);
}

export function newTasterForm(p: { programmeId: string; roles: readonly Role[]; timeZone: string }): Message {
  return message(
    "Add a taster session",
    heading("Add a taster session"),
    para("Say plainly what will happen, so nobody is surprised on the day."),
    {
      kind: "form",
      id: "taster-new",
      title: "New taster session",
      openLabel: "Add a taster session",
      submitLabel: "Post it",
      submit: { action: "taster.create", args: { programmeId: p.programmeId } },
      inputs: [
        { kind: "text", id: "title", label: "Name of the session", maxLength: 120 },
        {
          kind: "text",
          id: "whatToExpect",
          label: "What to expect, in plain words (what will happen, who will be there, what people will do)",
          multiline: true,
          maxLength: 2000,
        },
        { kind: "multi", id: "audienceRoles", label: "Who is it for? Choose nobody to invite everyone", options: p.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })), optional: true },
        { kind: "datetime", id: "startsAt", label: `Starts (like 2026-03-10 14:00, ${p.timeZone} time)` },
        { kind: "datetime", id: "endsAt", label: `Ends (like 2026-03-10 16:00, ${p.timeZone} time)` },
        { kind: "text", id: "location", label: "Where (address or room)", optional: true, maxLength: 300 },
        { kind: "text", id: "onlineUrl", label: "Online link, if it is online", optional: true, maxLength: 500 },
        { kind: "text", id: "accessibility", label: "Access (step-free, hearing loop, breaks, help with travel costs ...)", multiline: true, optional: true, maxLength: 1000 },
        { kind: "text", id: "capacity", label: "How many places?", initial: "10" },
        offerHoldInput(DEFAULT_OFFER_HOLD_HOURS),
      ],
    },
  );
}

export const tasterText = {
  created: (title: string, channels: number) =>
    channels > 0 ? `${title} is posted in the programme's channel. People can sign up there.` : `${title} is saved. This programme has no channel yet, so people can sign up by typing taster.`,
  notFound: "Sorry, I cannot find that taster session.",
  cancelledSession: "Sorry, this taster session has been cancelled.",
  started: "Sorry, this taster session has already started, so sign-up is closed.",
  wrongRole: (audience: string) => `Sorry, this session is for: ${audience}. Ask a facilitator if you think it should be open to you too.`,
  booked: (title: string) => `You have a place at this session: ${title}. I have sent you the details privately, with a calendar invite.`,
  waitlisted: (title: string, position: number) =>
    `${title} is full. You are number ${position} on the waiting list. If a place comes up, I will message you.`,
  alreadyBooked: (title: string) => `You already have a place at this session: ${title}.`,
  alreadyWaiting: (position: number) => `You are already on the waiting list. You are number ${position}.`,
  alreadyOffered: "A place is already being held for you. Look for my private message to accept it.",
  nothingToCancel: "You do not have a place on this session, so there is nothing to cancel.",
  tooLateToCancel: "This session has already started, so there is nothing to cancel.",
  alreadyCancelled: (title: string) => `${title} is already cancelled. Nothing else has changed.`,
  alreadyOver: "This session is already over, so it cannot be cancelled.",
  sessionCancelled: (title: string, told: number, notTold: string[]) =>
    `${title} is cancelled. The post in the channel now says so.` +
    (told > 0 ? ` We are telling ${told} ${told === 1 ? "person" : "people"} who signed up.` : " Nobody had signed up.") +
    (notTold.length ? ` ${notTold.join(", ")} paused messages or cannot be reached, so we could not tell them. Please tell them another way.` : ""),
  placeCancelled: (title: string) => `Your place is cancelled: ${title}. Thank you for letting us know, so someone else can come.`,
  leftWaitingList: (title: string) => `You are off the waiting list: ${title}.`,
  offerGone: "Sorry, this offer has ended and the place has gone to someone else. You can sign up again to join the waiting list.",
  offerDeclined: "Thank you for letting us know. We have offered the place to the next person.",
  followUpTooEarly: "You can tell us how it went once the session is over.",
  followUpNotBooked: "Only people who had a place on this session can answer this.",
  attendanceTooEarly: "You can mark who came once the session has started.",
  attendanceNotBooked: "That person did not have a place on this session.",
  attendanceSaved: (name: string, attended: boolean) => (attended ? `Marked: ${name} came.` : `Marked: ${name} did not come.`),
  attendanceAllSaved: (count: number) => `Saved. ${count} ${count === 1 ? "person came" : "people came"}.`,
  badTime: (label: string) => `Please write "${label}" as a date and time, like 2026-03-10 14:00.`,
  endBeforeStart: "The session must end after it starts. Please check the times.",
  startInPast: "The start time has already passed. Please choose a time in the future.",
  whereNeeded: "Please say where it is, or give an online link (or both).",
  badLink: "The online link must start with https:// or http://.",
};

/** Sent privately when someone gets a place (straight away, or by accepting an offer). */
export function bookingConfirmed(v: TasterView, ics: string): Message {
  return message(
    `You have a place: ${v.title}`,
    heading(`You have a place: ${v.title}`),
    ...details(v),
    inviteFile("taster.ics", ics, "Add it to my calendar"),
    buttons(button("Cancel my place", "taster.cancel", { tasterId: v.id })),
    note("If you cannot come, please cancel, so someone on the waiting list can have your place."),
  );
}

export function placeCancelled(v: TasterView, ics: string): Message {
  return message(
    tasterText.placeCancelled(v.title),
    para(tasterText.placeCancelled(v.title)),
    inviteFile("taster-cancelled.ics", ics, "Remove it from my calendar"),
  );
}

export function placeOffered(v: TasterView, p: { signupId: string; until: string }): Message {
  return message(
    `A place has come up: ${v.title}`,
    heading(`A place has come up: ${v.title}`),
    para(`You were on the waiting list, and now a place is free. We are holding it for you until ${p.until}.`),
    ...details(v),
    buttons(button("Yes, I will come", "taster.accept", { signupId: p.signupId }, { style: "primary" }), button("No thanks", "taster.decline", { signupId: p.signupId })),
    note("If we do not hear from you by then, we will offer it to the next person."),
  );
}

export function offerExpired(p: { title: string; tasterId: string }): Message {
  const text = `The place we held for you has gone to the next person on the waiting list: ${p.title}.`;
  return message(
    text,
    para(text),
    para("If you would still like to come, you can sign up again."),
    buttons(button("Sign up again", "taster.signup", { tasterId: p.tasterId })),
  );
}

export function reminder(v: TasterView): Message {
  return message(
    `Reminder: ${v.title}, ${v.when}`,
    heading(`Reminder: ${v.title}`),
    para(`This is a reminder that you have a place. It is on ${v.when}.`),
    ...details(v),
    buttons(button("I can no longer come", "taster.cancel", { tasterId: v.id })),
    note("If you cannot come, please tell us, so someone on the waiting list can have your place."),
  );
}

const EXPECTED = [
  { value: "yes", label: "Yes" },
  { value: "partly", label: "Partly" },
  { value: "no", label: "No" },
];
const TAKE_PART = [
  { value: "yes", label: "Yes" },
  { value: "maybe", label: "Maybe" },
  { value: "no", label: "No" },
];

export function followUp(p: { title: string; signupId: string }): Message {
  return message(
    `${p.title}: how was it?`,
    heading(`Thank you for coming to the session: ${p.title}`),
    para("Two quick questions. They help us describe sessions better next time."),
    {
      kind: "form",
      id: "taster-followup",
      title: "How was it?",
      openLabel: "Answer two questions",
      submitLabel: "Send",
      submit: { action: "taster.followup", args: { signupId: p.signupId } },
      inputs: [
        { kind: "single", id: "expectationsMet", label: "Was it what you expected?", options: EXPECTED },
        { kind: "single", id: "wouldTakePart", label: "Would you take part in the programme?", options: TAKE_PART },
        { kind: "text", id: "comment", label: "Anything else you want to tell us?", multiline: true, optional: true, maxLength: 2000 },
      ],
    },
    note("If you did not go, you can ignore this message."),
  );
}

export function followUpSaved(p: { expectationsMet: string; wouldTakePart: string; comment?: string | null }): Message {
  const label = (list: { value: string; label: string }[], v: string) => list.find((o) => o.value === v)?.label ?? v;
  return message(
    "Thank you. Your answer is saved.",
    heading("Thank you. Your answer is saved."),
    facts([
      ["Was it what you expected?", label(EXPECTED, p.expectationsMet)],
      ["Would you take part?", label(TAKE_PART, p.wouldTakePart)],
      ["Anything else", p.comment ?? undefined],
    ]),
  );
}

export function attendancePick(p: { tasters: { id: string; title: string; when: string }[] }): Message {
  return message(
    "Mark who came",
    heading("Mark who came"),
    p.tasters.length ? para("Which session?") : para("There are no recent taster sessions to mark."),
    ...p.tasters.map((t) => buttons(button(`${t.title} (${t.when})`, "taster.attendance.list", { tasterId: t.id }))),
  );
}

export function attendanceList(p: { tasterId: string; title: string; when: string; people: { signupId: string; name: string; attended: boolean | null }[] }): Message {
  const mark = (a: boolean | null) => (a === null ? "not marked yet" : a ? "came" : "did not come");
  return message(
    `${p.title}: who came?`,
    heading(`${p.title}: who came?`),
    para(p.when),
    p.people.length ? null : para("Nobody had a place on this session."),
    ...p.people.flatMap((person) => [
      para(`${person.name}: ${mark(person.attended)}`),
      buttons(
        button("Came", "taster.attendance", { signupId: person.signupId, attended: "yes" }),
        button("Did not come", "taster.attendance", { signupId: person.signupId, attended: "no" }),
      ),
    ]),
    p.people.length
      ? {
          kind: "form",
          id: "taster-attendance",
          title: "Mark everyone at once",
          openLabel: "Mark everyone at once",
          submitLabel: "Save",
          submit: { action: "taster.attendance.save", args: { tasterId: p.tasterId } },
          inputs: [
            {
              kind: "multi",
              id: "attended",
              label: "Who came? (everyone not ticked is marked as not coming)",
              optional: true,
              options: p.people.map((person) => ({ value: person.signupId, label: person.name })),
              initial: p.people.filter((person) => person.attended).map((person) => person.signupId),
            },
          ],
        }
      : null,
    note("Coming to a session is counted as time given, so people can be thanked for it."),
  );
}

// ------------------------------------------------------------------ cancelling a whole session

export function cancelSessionButton(tasterId: string) {
  return button("Cancel this session", "taster.cancel_session.ask", { tasterId }, {
    style: "danger",
    confirm: "Cancel this session for everyone? Everyone who signed up will be told.",
  });
}

export function cancelSessionForm(p: { tasterId: string; title: string; when: string; booked: number; waiting: number }): Message {
  const who = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;
  return message(
    `Cancel ${p.title}?`,
    heading(`Cancel ${p.title}?`),
    para(p.when),
    para(
      p.booked + p.waiting === 0
        ? "Nobody has signed up yet."
        : `${who(p.booked)} ${p.booked === 1 ? "has" : "have"} a place. ${who(p.waiting)} ${p.waiting === 1 ? "is" : "are"} on the waiting list. We will tell each of them privately.`,
    ),
    {
      kind: "form",
      id: "taster-cancel",
      title: "Cancel this session",
      openLabel: "Say why, then cancel",
      submitLabel: "Cancel the session",
      submit: { action: "taster.cancel_session", args: { tasterId: p.tasterId } },
      inputs: [{ kind: "text", id: "reason", label: "Why is it cancelled? Everyone who signed up will read this.", multiline: true, maxLength: 500 }],
    },
  );
}

/** Sent privately to everyone booked, offered a place or waiting when a whole session is cancelled. */
export function sessionCancelled(p: { title: string; when: string; reason: string; was: "booked" | "offered" | "waitlisted"; ics?: string }): Message {
  const yours = { booked: "Your place is cancelled.", offered: "The place we offered you is cancelled.", waitlisted: "You are off the waiting list." }[p.was];
  return message(
    `Cancelled: ${p.title}`,
    heading(`Cancelled: ${p.title}`),
    para(`Sorry. The taster session on ${p.when} is not going ahead.`),
    para(`Why: ${p.reason}`),
    para(`${yours} Nothing else to do.`),
    p.ics ? { kind: "file", filename: "taster-cancelled.ics", mimeType: "text/calendar", content: p.ics, label: "Remove it from my calendar" } : null,
  );
}
