import { buttons, button, facts, heading, message, note, para, type Message } from "../messages/model.ts";

/** What organisers read about how long a programme's data is kept. */

const period = (months: number) => (months % 12 === 0 ? `${months / 12} year${months === 12 ? "" : "s"}` : `${months} month${months === 1 ? "" : "s"}`);

export const retentionText = {
  rule: (name: string, months: number) =>
    `We keep what people share in ${name} until ${period(months)} after the last thing anyone did in it. Then we delete all of it.`,
  what:
    "That means answers, ideas and their news, sign-ups, debriefs, digests and messages. " +
    "People who were only in this programme are deleted too. Reading things does not count as doing something.",
  tooShort: (name: string) => `Nothing has happened in ${name} for longer than that, so everything would be deleted at once. Please choose a longer time.`,
  saved: (name: string, months: number) => `Saved. We now keep what people share in ${name} for ${period(months)} after the last thing anyone did.`,
  usual: "This is the usual setting.",
};

export function retentionView(p: {
  programmeId: string;
  programmeName: string;
  months: number;
  isDefault: boolean;
  lastActivity: string;
  deleteOn: string;
  choices: readonly number[];
}): Message {
  return message(
    `How long we keep data in ${p.programmeName}`,
    heading(`How long we keep data in ${p.programmeName}`),
    para(retentionText.rule(p.programmeName, p.months)),
    para(retentionText.what),
    facts([
      ["Kept for", `${period(p.months)} after the last thing anyone did${p.isDefault ? " (the usual setting)" : ""}`],
      ["Last thing anyone did", p.lastActivity],
      ["Deleted on", `${p.deleteOn}, unless people do something before then`],
    ]),
    {
      kind: "form",
      id: "retention",
      title: "How long to keep it",
      openLabel: "Change how long we keep it",
      submitLabel: "Save",
      submit: { action: "retention.set", args: { programmeId: p.programmeId } },
      inputs: [
        {
          kind: "single",
          id: "months",
          label: "Keep it for how long after the last thing anyone did?",
          options: p.choices.map((m) => ({ value: String(m), label: period(m) })),
          initial: p.choices.includes(p.months) ? String(p.months) : undefined,
        },
      ],
    },
    note("Anything new that people do moves the date on."),
    buttons(button("See it again", "retention.show", { programmeId: p.programmeId })),
  );
}

export function done(text: string): Message {
  return message(text, para(text));
}

export const commandHelp = {
  retention: { usage: "retention", summary: "See and change how long we keep what people share in the programme." },
};
