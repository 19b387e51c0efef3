import { facts, heading, message, note, para, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";

/** Sentences about recognising the time people give: the thank-you file, the programme's rates, the totals. */

export function timeGiven(totalMinutes: number): string {
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (!hours) return `${minutes} minutes`;
  return `${hours} hour${hours === 1 ? "" : "s"}${minutes ? ` ${minutes} minutes` : ""}`;
}

export const pounds = (pence: number) => `£${Math.floor(pence / 100)}${pence % 100 ? `.${String(pence % 100).padStart(2, "0")}` : ""}`;

const times = (n: number) => `${n} time${n === 1 ? "" : "s"}`;

export const recognitionText = {
  nothingYet: "We have not recorded any time from you in this programme yet. It counts when you answer questions, share ideas, go to tasters or sit on panels.",
  notAnAmount: "Please give an amount in pounds, like 25 or £12.50.",
  whichRole: "Please say which role the rate is for, like: rate expert by experience £25 per hour",
  whichUnit: "Please end with per hour or per activity, like: rate professional £10 per activity",
  rateSet: (role: Role, amount: string, per: "hour" | "activity") =>
    `${ROLE_LABELS[role]}: ${amount} for each ${per === "hour" ? "hour of time given" : "activity taken part in"}. This is used in contribution-totals from now on.`,
  noRates: "No rates are set yet, so totals show time only. Set one like this: rate expert by experience £25 per hour",
  totalsNothing: "Nobody's time is recorded in this programme yet.",
};

/** The thank-you file: the person, the programme, their time and what they took part in. Nobody else. */
export function thankYouFile(p: { name: string; programme: string; totalMinutes: number; lines: string[]; from: string; to: string; made: string }): string {
  return [
    `Thank you, ${p.name}`,
    "",
    `Programme: ${p.programme}`,
    `Time given: about ${timeGiven(p.totalMinutes)}, from ${p.from} to ${p.to}.`,
    "",
    "What you took part in:",
    ...p.lines.map((l) => `- ${l}`),
    "",
    `Your time helped people who use services shape them. This summary was made by wesaid on ${p.made}.`,
    "It is about you only. You can show it to anyone you like, for example for a job, a course or a reference.",
    "",
  ].join("\r\n");
}

export function myContribution(p: { programme: string; totalMinutes: number; lines: string[]; file: string }): Message {
  return message(
    "Thank you for your time",
    heading(`Thank you for your time in ${p.programme}`),
    para(`You have given about ${timeGiven(p.totalMinutes)}.`),
    para(p.lines.map((l) => `• ${l}`).join("\n")),
    { kind: "file", filename: "thank-you-from-wesaid.txt", mimeType: "text/plain", content: p.file, label: "Download your thank-you summary" },
    note("The file names you and this programme only. Only you can see this message."),
  );
}

export function ratesView(p: { programme: string; rates: { role: Role; pencePerHour: number; pencePerActivity: number }[] }): Message {
  const set = p.rates.filter((r) => r.pencePerHour || r.pencePerActivity);
  return message(
    `Rates in ${p.programme}`,
    heading(`Rates for time given in ${p.programme}`),
    set.length
      ? facts(set.map((r) => [ROLE_LABELS[r.role], rateWords(r)]))
      : para(recognitionText.noRates),
    note("To change one: rate <role> <amount> per hour, or per activity. Set an amount of 0 to stop paying it."),
  );
}

function rateWords(r: { pencePerHour: number; pencePerActivity: number }): string {
  return [r.pencePerHour && `${pounds(r.pencePerHour)} an hour`, r.pencePerActivity && `${pounds(r.pencePerActivity)} an activity`].filter(Boolean).join(" and ") || "nothing";
}

export function contributionTotalsView(p: {
  programme: string;
  roles: { role: Role; people: number; minutes: number; activities: number; pence: number }[];
  totalPence: number;
  ratesSet: boolean;
  csv: string;
}): Message {
  if (!p.roles.length) return message(recognitionText.totalsNothing, para(recognitionText.totalsNothing));
  return message(
    `Time given in ${p.programme}`,
    heading(`Time given in ${p.programme}, by role`),
    facts(
      p.roles.map((r) => [
        ROLE_LABELS[r.role],
        `${r.people} ${r.people === 1 ? "person" : "people"}, ${timeGiven(r.minutes)}, ${times(r.activities)}${p.ratesSet ? `, ${pounds(r.pence)}` : ""}`,
      ]),
    ),
    p.ratesSet ? para(`In all: ${pounds(p.totalPence)} at the programme's rates.`) : para(recognitionText.noRates),
    { kind: "file", filename: "time-given-by-person.csv", mimeType: "text/csv", content: p.csv, label: "Download a line for each person (for payment)" },
    note("The file names people: keep it safe and share it only with whoever makes the payments. We record that you looked."),
  );
}

export const recognitionHelp = {
  myContribution: { usage: "my-contribution", summary: "Get a thank-you summary of your time, as a file to show others." },
  rate: { usage: "rate <role> <amount> per hour|activity", summary: "Set what the programme pays for time given." },
  rates: { usage: "rates", summary: "See what the programme pays for time given." },
  totals: { usage: "contribution-totals", summary: "See time given by role, with amounts at your rates." },
};
