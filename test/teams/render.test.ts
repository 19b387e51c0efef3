import { describe, expect, it } from "vitest";
import { calendarInvite } from "../../src/calendar/ics.ts";
import { button, buttons, facts, heading, message, note, para, type Message } from "../../src/messages/model.ts";
import { peopleCatalogue as people } from "../../src/people/index.ts";
import { MAX_CARD_BYTES, markdownSafe, outlookComposeLink, parseInvite, renderActivity, renderCard } from "../../adapters/teams/render.ts";
import { argsFrom, peopleFrom } from "../../adapters/teams/translate.ts";
import { cardActions, cardText, findAction } from "../support/fake-teams.ts";

/** A message with every kind of block and input the core can send. */
function everything(): Message {
  return message(
    "Everything at once",
    heading("A heading"),
    para("Some text.\nA second line."),
    facts([
      ["When", "Tuesday 10 March, 2pm"],
      ["Places left", "3"],
    ]),
    { kind: "divider" },
    note("Small print."),
    buttons(button("Yes", "x.yes", { id: "1" }, { style: "primary" }), button("Delete", "x.delete", { id: "1" }, { style: "danger", confirm: "Are you sure? This cannot be undone." })),
    {
      kind: "form",
      id: "answers",
      title: "Your answers",
      openLabel: "Answer",
      submitLabel: "Send",
      submit: { action: "x.answer", args: { occurrenceId: "o1" } },
      inputs: [
        { kind: "text", id: "story", label: "What happened?", multiline: true, placeholder: "Tell us", maxLength: 2000 },
        { kind: "scale", id: "confidence", label: "How confident are you?", min: 0, max: 10, minLabel: "Not at all", maxLabel: "Very" },
        { kind: "scale", id: "percent", label: "Percent", min: 0, max: 100, optional: true },
        { kind: "single", id: "stage", label: "Which stage?", options: ["Discover", "Define", "Develop", "Deliver"].map((v) => ({ value: v.toLowerCase(), label: v })) },
        { kind: "single", id: "many", label: "Pick one", options: ["a", "b", "c", "d", "e", "f"].map((v) => ({ value: v, label: v.toUpperCase() })), initial: "c" },
        { kind: "multi", id: "values", label: "Which values?", options: [{ value: "own", label: "Ownership" }, { value: "open", label: "Openness" }], optional: true },
        { kind: "datetime", id: "startsAt", label: "When does it start?", initial: "2026-03-10T14:00" },
        { kind: "people", id: "members", label: "Who is on the panel?" },
        { kind: "people", id: "lead", label: "Who leads it?", multiple: false, optional: true },
      ],
    },
    {
      kind: "file",
      filename: "taster.ics",
      mimeType: "text/calendar",
      label: "Add to calendar",
      content: calendarInvite({
        uid: "taster-1@wesaid",
        start: new Date("2026-03-10T14:00:00Z"),
        end: new Date("2026-03-10T15:30:00Z"),
        stamp: new Date("2026-03-02T09:00:00Z"),
        summary: "Singing for breathing, taster",
        location: "Room 2, The Hub; Gloucester",
        description: "Come as you are.\nTea provided.",
      }),
    },
  );
}

describe("the Adaptive Card presenter", () => {
  it("renders every block and input (snapshot)", () => {
    expect(renderCard(everything())).toMatchSnapshot();
  });

  it("renders the people loop's cards (snapshot)", () => {
    const welcome = people.welcome({ programmeName: "Young people's mental health", description: "A review.", role: "expert_by_experience", programmeId: "p1", policyVersion: 1 });
    expect(renderCard(welcome)).toMatchSnapshot("welcome");
    expect(renderCard(people.forgetConfirm())).toMatchSnapshot("forget-me");
    expect(renderActivity(people.help({ lines: [{ usage: "help", summary: "Show this list." }] }))).toMatchSnapshot("help activity");
  });

  it("uses card version 1.5, the summary as fallback text, and one card per activity", () => {
    const activity = renderActivity(everything());
    expect(activity).toMatchObject({ type: "message", summary: "Everything at once" });
    expect(activity.attachments).toHaveLength(1);
    expect(activity.attachments[0]!.content).toMatchObject({ type: "AdaptiveCard", version: "1.5", fallbackText: "Everything at once" });
  });

  it("makes buttons Action.Execute with the action as verb, the args as data, and an Action.Submit fallback", () => {
    const card = renderCard(everything());
    const yes = findAction(card, "Yes");
    expect(yes).toMatchObject({ verb: "x.yes", style: "positive", data: { id: "1", wesaid: { action: "x.yes" } } });
    expect(yes.fallback).toMatchObject({ type: "Action.Submit", data: yes.data });
    // A confirm opens a small card that asks first.
    const del = findAction(card, "Delete", "Action.ShowCard");
    expect(cardText(del.card)).toContain("Are you sure?");
    expect(findAction(del.card, "Delete")).toMatchObject({ verb: "x.delete", style: "destructive" });
  });

  it("shows a form's inputs inline with required marks, and its submit lists what to read back", () => {
    const card = renderCard(everything());
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"Input.Text","id":"story","label":"What happened?","isMultiline":true');
    const send = findAction(card, "Send");
    expect(send.data.wesaid).toEqual({
      action: "x.answer",
      inputs: ["story", "confidence", "percent", "stage", "many", "values", "startsAt", "members", "lead"],
      multi: ["values"],
      datetime: ["startsAt"],
      people: ["members", "lead"],
    });
    const inputs = (card.body.find((b: any) => b.type === "Container") as any).items;
    const byId = Object.fromEntries(inputs.filter((i: any) => i.id).map((i: any) => [i.id, i]));
    expect(byId.story).toMatchObject({ isRequired: true, errorMessage: "Please answer: What happened?" });
    expect(byId.confidence).toMatchObject({ type: "Input.ChoiceSet", style: "expanded" });
    expect(byId.confidence.choices).toHaveLength(11);
    expect(byId.confidence.choices[0]).toEqual({ title: "0 (Not at all)", value: "0" });
    expect(byId.percent).toMatchObject({ type: "Input.Number", min: 0, max: 100, isRequired: false });
    expect(byId.stage).toMatchObject({ style: "expanded" });
    expect(byId.many).toMatchObject({ style: "compact", value: "c" });
    expect(byId.values).toMatchObject({ isMultiSelect: true });
    expect(byId.startsAt__date).toMatchObject({ type: "Input.Date", value: "2026-03-10" });
    expect(byId.startsAt__time).toMatchObject({ type: "Input.Time", value: "14:00" });
    // Teams' people picker: a ChoiceSet that looks people up in the organisation's directory.
    expect(byId.members).toEqual({
      type: "Input.ChoiceSet",
      id: "members",
      label: "Who is on the panel?",
      isMultiSelect: true,
      placeholder: "Choose people",
      choices: [],
      "choices.data": { type: "Data.Query", dataset: "graph.microsoft.com/users" },
      isRequired: true,
      errorMessage: "Please answer: Who is on the panel?",
    });
    expect(byId.lead).toMatchObject({ type: "Input.ChoiceSet", isMultiSelect: false, placeholder: "Choose a person", isRequired: false });
  });

  it("opens each form on its own when a card has two, so one submit never checks the other's inputs", () => {
    const card = renderCard(
      people.preferencesForm({ programmeId: "p1", timeZone: "Europe/London", quietStart: "21:00", quietEnd: "08:00", reminderLimit: 1, paused: false, participation: true, quotation: null, consentVersion: 1 }),
    );
    expect(card.body.some((b) => b.type === "Container")).toBe(false);
    const prefs = findAction(card, "Change preferences", "Action.ShowCard");
    expect(cardActions(prefs.card).map((a) => a.verb)).toEqual(["people.prefs.save"]);
    expect(JSON.stringify(prefs.card)).toContain('"value":"Europe/London"');
    expect(JSON.stringify(prefs.card)).not.toContain('"id":"participation"');
  });

  it("turns a calendar invite into an Outlook link with the event's details", () => {
    const link = findAction(renderCard(everything()), "Add to calendar", "Action.OpenUrl").url as string;
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe("https://outlook.office.com/calendar/0/deeplink/compose");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      subject: "Singing for breathing, taster",
      startdt: "2026-03-10T14:00:00Z",
      enddt: "2026-03-10T15:30:00Z",
      location: "Room 2, The Hub; Gloucester",
      body: "Come as you are.\nTea provided.",
    });
    expect(parseInvite("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")).toBeNull();
    expect(outlookComposeLink({ summary: "x", start: "2026-01-01T00:00:00Z" })).not.toContain("enddt");
  });

  it("shows any other file in a card that opens, cut to a safe length", () => {
    const big = JSON.stringify({ rows: Array.from({ length: 2_000 }, (_, i) => ({ i, text: "answer" })) });
    const card = renderCard(people.myData({ summaryLines: ["Name: Jo"], consentLines: [], json: big }));
    const file = findAction(card, "Download all of it", "Action.ShowCard");
    expect(cardText(file.card)).toContain("only the first part");
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
  });
});

describe("text people wrote, shown safely", () => {
  it("cannot form links, run card functions or turn into formatting", () => {
    const text = markdownSafe("Look [here](https://evil.example) at {{DATE(2026-03-10T14:00:00Z, SHORT)}} *now* _please_", 1000);
    expect(text).not.toContain("](");
    expect(text).not.toContain("{{");
    expect(text).toContain("\\*now\\*");
    expect(text).toContain("\\_please\\_");
  });

  it("keeps line breaks as Markdown needs them and removes control characters", () => {
    expect(markdownSafe("one\ntwo\r\nthree\u0007", 100)).toBe("one\n\ntwo\n\nthree");
  });

  it("limits long text and keeps every card under Teams' size limit", () => {
    const long = "word ".repeat(20_000);
    const card = renderCard(message("A very long message", heading(long), ...Array.from({ length: 20 }, () => para(long))));
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const heading0 = card.body[0] as { text: string };
    expect(heading0.text.length).toBeLessThanOrEqual(300);
    expect(heading0.text.endsWith("…")).toBe(true);
    expect(renderActivity(message("x".repeat(1000))).summary.length).toBeLessThanOrEqual(250);
  });

  it("renders an empty message as its summary", () => {
    expect(cardText(renderCard(message("Just this")))).toBe("Just this");
  });
});

describe("reading a submitted form back", () => {
  it("gives the core its args plus the values, in the core's forms", () => {
    const send = findAction(renderCard(everything()), "Send");
    // What Teams sends: the action's data with each input's value merged in.
    const submitted = {
      ...send.data,
      story: "It went well",
      confidence: "7",
      percent: "",
      stage: "define",
      many: "c",
      values: "own,open",
      startsAt__date: "2026-03-11",
      startsAt__time: "10:30",
      // The people picker sends the chosen people's Entra object ids, joined by commas.
      members: "6f2a1b3c-0000-4000-8000-000000000001,6f2a1b3c-0000-4000-8000-000000000002",
      lead: "",
      msteams: { type: "task/fetch" },
      nested: { not: "a string" },
    };
    expect(argsFrom(submitted, send.data.wesaid)).toEqual({
      occurrenceId: "o1",
      story: "It went well",
      confidence: "7",
      stage: "define",
      many: "c",
      values: "own\nopen",
      startsAt: "2026-03-11T10:30",
    });
    expect(peopleFrom(submitted, send.data.wesaid)).toEqual({
      members: [{ externalId: "6f2a1b3c-0000-4000-8000-000000000001" }, { externalId: "6f2a1b3c-0000-4000-8000-000000000002" }],
    });
  });

  it("never lets a people picker's value hold anything but ids", () => {
    const meta = { action: "panel.create", inputs: ["members"], people: ["members"] };
    const data = { members: "a1, b2 ,<@evil>,x y,a1", wesaid: meta };
    expect(argsFrom(data, meta)).toEqual({});
    expect(peopleFrom(data, meta)).toEqual({ members: [{ externalId: "a1" }, { externalId: "b2" }] });
  });

  it("carries the people a button's call is about, and adds those chosen in the form", () => {
    const call = { action: "feedback.together", args: { title: "Tidy up" }, people: { owners: [{ externalId: "aad-sam", displayName: "Sam", shownAs: "@Sam" }] } };
    const card = renderCard(message("x", buttons({ label: "Mental health", call })));
    const data = cardActions(card)[0].data;
    expect(peopleFrom(data, data.wesaid)).toEqual(call.people);
    expect(argsFrom(data, data.wesaid)).toEqual({ title: "Tidy up" });
  });
});

describe("buttons and labels stay plain", () => {
  it("flattens and limits titles", () => {
    const card = renderCard(message("x", buttons(button(`A very\nlong ${"label ".repeat(40)}`, "x.y"))));
    const action = cardActions(card)[0];
    expect(action.title).not.toContain("\n");
    expect(action.title.length).toBeLessThanOrEqual(80);
  });
});

it("renders notes as small subtle text and facts as a FactSet", () => {
  const card = renderCard(message("x", note("who sees this"), facts([["When", "Tuesday"]])));
  expect(card.body[0]).toMatchObject({ type: "TextBlock", isSubtle: true, size: "Small", wrap: true });
  expect(card.body[1]).toEqual({ type: "FactSet", facts: [{ title: "When", value: "Tuesday" }] });
});
