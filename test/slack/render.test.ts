import { describe, expect, it } from "vitest";
import { PayloadCodec, type FormBlock } from "../../adapters/slack/codec.ts";
import { clip, escapeMrkdwn, LIMITS, renderFormModal, renderHome, renderMessage, renderNoticeModal, splitText } from "../../adapters/slack/render.ts";
import { button, buttons, facts, heading, message, note, para, type Message } from "../../src/messages/model.ts";
import { peopleCatalogue as people } from "../../src/people/index.ts";

// The Block Kit presenter: snapshots of representative messages, and Slack's limits.
const codec = new PayloadCodec(() => 0);

const tasterLike: Message = message(
  "Taster: Drumming for wellbeing, Tue 10 March",
  heading("Drumming for wellbeing"),
  para("A relaxed drumming circle. You do not need any experience. Tea & biscuits <provided>."),
  facts([
    ["When", "Tuesday 10 March, 2pm to 3pm"],
    ["Where", "The Guildhall, Gloucester"],
    ["Places left", "4 of 12"],
  ]),
  buttons(button("Sign up", "taster.signup", { tasterId: "t1" }, { style: "primary" }), button("Not for me", "taster.decline", { tasterId: "t1" })),
  { kind: "divider" },
  { kind: "file", filename: "drumming.ics", mimeType: "text/calendar", content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR", label: "Calendar invite" },
  note("Only you can see your sign-up. <@U0FAY> runs this session."),
);

const promptForm: FormBlock = {
  kind: "form",
  id: "prompt-1",
  title: "Three questions about this month's meetings",
  openLabel: "Answer now",
  submitLabel: "Send my answers",
  submit: { action: "prompt.answer", args: { deliveryId: "d1" } },
  inputs: [
    { kind: "scale", id: "q1", label: "How much did you feel listened to?", min: 0, max: 10, minLabel: "not at all", maxLabel: "completely", initial: 7 },
    { kind: "scale", id: "q2", label: "How easy was it to take part?", min: 1, max: 5 },
    { kind: "single", id: "q3", label: "Would you come again?", options: [{ value: "yes", label: "Yes" }, { value: "no", label: "No" }], initial: "yes" },
    { kind: "multi", id: "q4", label: "What helped?", options: [{ value: "papers", label: "Papers sent early" }, { value: "breaks", label: "Breaks" }], initial: ["breaks"], optional: true },
    { kind: "text", id: "q5", label: "Anything else?", multiline: true, optional: true, placeholder: "Say as much or as little as you like", maxLength: 2000 },
    { kind: "datetime", id: "q6", label: "When could you come next?", optional: true, initial: "2026-03-10T14:00:00.000Z" },
  ],
};

describe("snapshots", () => {
  it("renders a taster-like post with facts, buttons, a file and a note", () => {
    expect(renderMessage(tasterLike, { codec, files: "here" })).toMatchSnapshot();
  });

  it("renders a prompt with a form as a button, and the form as a modal", () => {
    const msg = message("A short question", heading("Time for a short question"), promptForm);
    expect(renderMessage(msg, { codec })).toMatchSnapshot();
    expect(renderFormModal(promptForm, "meta")).toMatchSnapshot();
  });

  it("renders a destructive button with a confirm dialog", () => {
    const msg = message("Delete?", buttons(button("Yes, delete everything", "people.forget.confirm", {}, { style: "danger", confirm: "This cannot be undone." })));
    expect(renderMessage(msg, { codec }).blocks).toMatchSnapshot();
  });

  it("renders the Home tab from several messages", () => {
    expect(renderHome([message("One", para("First part")), message("Two", para("Second part"))], codec)).toMatchSnapshot();
  });
});

describe("people pickers", () => {
  const pickerForm = (multiple?: boolean): FormBlock => ({
    kind: "form",
    id: "panel-new",
    title: "New panel",
    openLabel: "Set up a panel",
    submitLabel: "Set it up",
    submit: { action: "panel.create", args: {} },
    inputs: [{ kind: "people", id: "members", label: "Who is on the panel?", ...(multiple === undefined ? {} : { multiple }), optional: multiple === false }],
  });

  it("renders several people as multi_users_select, one person as users_select, in the modal's input block", () => {
    expect(renderFormModal(pickerForm(), "meta").blocks).toEqual([
      {
        type: "input",
        block_id: "members",
        label: { type: "plain_text", text: "Who is on the panel?", emoji: true },
        optional: false,
        element: { type: "multi_users_select", action_id: "value", placeholder: { type: "plain_text", text: "Choose people", emoji: true } },
      },
    ]);
    expect(renderFormModal(pickerForm(false), "meta").blocks[0]).toMatchObject({
      optional: true,
      element: { type: "users_select", action_id: "value", placeholder: { text: "Choose a person" } },
    });
  });
});

describe("text", () => {
  it("escapes &, < and > in people's words but keeps mentions of people", () => {
    expect(escapeMrkdwn("Tea & <b>cake</b> for <!channel> with <@U0FAY> and <@U0JO|jo>")).toBe("Tea &amp; &lt;b&gt;cake&lt;/b&gt; for &lt;!channel&gt; with <@U0FAY> and <@U0JO>");
  });

  it("always sets the summary as the notification text", () => {
    expect(renderMessage(tasterLike, { codec }).text).toBe("Taster: Drumming for wellbeing, Tue 10 March");
  });

  it("splits long text at line breaks and clips what cannot fit", () => {
    const long = Array.from({ length: 200 }, (_, i) => `Line ${i} of a long answer that goes on.`).join("\n");
    const pieces = splitText(long, LIMITS.sectionText);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length <= LIMITS.sectionText)).toBe(true);
    expect(pieces.join("\n")).toBe(long);
    expect(clip("abcdef", 4)).toBe("abc…");
  });
});

describe("Slack's limits", () => {
  it("keeps to 50 blocks and says when the end is cut off", () => {
    const msg = message("Many ideas", ...Array.from({ length: 80 }, (_, i) => para(`Idea ${i}`)));
    const { blocks } = renderMessage(msg, { codec });
    expect(blocks).toHaveLength(50);
    expect(JSON.stringify(blocks.at(-1))).toContain("too long for Slack");
  });

  it("keeps every text, header, field, button and modal title within Slack's sizes", () => {
    const huge = "word ".repeat(2000);
    const msg = message(
      huge,
      heading(huge),
      para(huge),
      facts(Array.from({ length: 14 }, (_, i) => [`Label ${i}`, huge] as [string, string])),
      buttons(...Array.from({ length: 30 }, (_, i) => button(`${huge} ${i}`, "x.y", { i: String(i) }))),
      note(huge),
    );
    const { text, blocks } = renderMessage(msg, { codec });
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const block of blocks as Record<string, any>[]) {
      if (block.type === "header") expect(block.text.text.length).toBeLessThanOrEqual(150);
      if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.fields) {
        expect(block.fields.length).toBeLessThanOrEqual(10);
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
      if (block.type === "actions") {
        expect(block.elements.length).toBeLessThanOrEqual(25);
        for (const b of block.elements) expect(b.text.text.length).toBeLessThanOrEqual(75);
      }
      if (block.type === "context") for (const e of block.elements) expect(e.text.length).toBeLessThanOrEqual(3000);
    }
    const modal = renderFormModal({ ...promptForm, title: huge, submitLabel: huge }, "m");
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.submit!.text.length).toBeLessThanOrEqual(24);
  });

  it("gives every button a unique action id and a value within 2000 characters that decodes to its call", () => {
    const welcome = people.welcome({ programmeName: "Mental health review", description: "", role: "expert_by_experience", programmeId: "p1", policyVersion: 1 });
    const { blocks } = renderMessage(welcome, { codec });
    const elements = (blocks as Record<string, any>[]).flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]).filter((e) => e.type === "button");
    expect(new Set(elements.map((e) => e.action_id)).size).toBe(elements.length);
    for (const e of elements) expect(e.value.length).toBeLessThanOrEqual(2000);
    const calls = elements.filter((e) => e.action_id.startsWith("wesaid.call.")).map((e) => codec.decodeCall(e.value));
    expect(calls).toContainEqual({ action: "people.prefs", args: { programmeId: "p1" } });
    const form = codec.decodeForm(elements.find((e) => e.action_id.startsWith("wesaid.form."))!.value);
    expect(form?.submit).toEqual({ action: "people.consent", args: { programmeId: "p1", policyVersion: "1" } });
  });

  it("still carries a button whose call is longer than 2000 characters", () => {
    // Repetitive text is compressed into the value; varied text is kept in memory under a key.
    let seed = 7;
    const varied = Array.from({ length: 700 }, () => ((seed = (seed * 48271) % 2147483647), seed.toString(36).slice(0, 4))).join(" ");
    for (const text of ["a long idea ".repeat(300), varied]) {
      const call = { action: "feedback.suggest", args: { text, programmeId: "p1" } };
      const { blocks } = renderMessage(message("Which programme?", buttons(button("Programme one", call.action, call.args))), { codec });
      const value = (blocks[0] as any).elements[0].value as string;
      expect(value.length).toBeLessThanOrEqual(2000);
      expect(codec.decodeCall(value)).toEqual(call);
    }
  });

  it("shows a refusal in a modal without asking for input", () => {
    const modal = renderNoticeModal(people.errorMessage("Sorry, that is full."), codec);
    expect(modal.submit).toBeUndefined();
    expect(JSON.stringify(modal.blocks)).toContain("Sorry, that is full.");
  });
});
