import { choosesMany, type ActionCall, type Block, type Button, type Input, type Message } from "../../src/messages/model.ts";
import { pickerText, teamsText } from "../../src/messages/catalogue/platforms.ts";
import { outlookComposeLink, parseInvite } from "./invite.ts";

export { outlookComposeLink, parseInvite, type InviteFields } from "./invite.ts";

/**
 * The Teams presenter: a core Message becomes one Adaptive Card (1.5).
 *
 * Buttons and form submits are Action.Execute (Universal Actions): Teams sends
 * an `adaptiveCard/action` invoke, shows a spinner on the button, and replaces
 * the card in place with the card we answer. Each carries an Action.Submit as
 * its `fallback`, for hosts without Universal Actions (the Bot Framework
 * Emulator and Web Chat used for local testing, older clients): those send
 * the same data as a message `value` and the card is updated with
 * updateActivity instead. Both carry the action id, so translate.ts reads
 * either the same way.
 *
 * Text is plain English from the core with people's own words inside it, so
 * it is made inert before it reaches Teams' Markdown: links cannot be formed,
 * emphasis marks are escaped, and {{DATE()}} functions cannot run.
 */

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const CARD_VERSION = "1.5";

/** Where Teams' people picker looks people up: everyone in the organisation. */
export const PEOPLE_DATASET = "graph.microsoft.com/users";

/** The key, inside an action's data, of what wesaid needs to read the submit back. */
export const META_KEY = "wesaid";

/** What a card action carries besides the core's args. */
export type ActionMeta = {
  /** The core action id (Action.Submit has no verb, so it travels here too). */
  action: string;
  /** Ids of this form's inputs: only these are taken from a submit (a card may hold other inputs). */
  inputs?: string[];
  /** Multi-choice inputs: Teams joins the values with commas, the core wants new lines. */
  multi?: string[];
  /** Date-and-time inputs, sent as two inputs `<id>__date` and `<id>__time`. */
  datetime?: string[];
  /** People pickers: Teams sends the chosen people's Entra (AAD) object ids joined by commas. */
  people?: string[];
  /** People the call itself is about (ActionCall.people), carried back as they were. */
  carried?: NonNullable<ActionCall["people"]>;
};

export type AdaptiveElement = Record<string, unknown>;
export type AdaptiveCard = {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  body: AdaptiveElement[];
  fallbackText?: string;
  speak?: string;
  msteams?: Record<string, unknown>;
};

export const LIMITS = {
  summary: 250,
  heading: 300,
  text: 3_000,
  factLabel: 100,
  factValue: 1_000,
  buttonTitle: 80,
  label: 300,
  choice: 200,
  placeholder: 200,
  fileShown: 8_000,
  buttonsPerRow: 5,
};

/** Teams refuses activities over about 28 KB; keep the card well under that. */
export const MAX_CARD_BYTES = 24_000;

// ------------------------------------------------------------------ text

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const ZWSP = "\u200b";

/** Cuts text to `max` characters (not splitting a surrogate pair), marking the cut. */
export function limit(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** For plain-text fields (titles, labels, choices): no Markdown is applied there. */
export function plain(text: string, max: number): string {
  return limit(text.replace(CONTROL_CHARS, "").replace(/\s*\r?\n\s*/g, " ").trim(), max);
}

/** For TextBlock and FactSet text, which Teams reads as Markdown. */
export function markdownSafe(text: string, max: number): string {
  return limit(text.replace(CONTROL_CHARS, "").replace(/\r\n?/g, "\n"), max)
    .replace(/([*_~`])/g, "\\$1")
    .replace(/\]\(/g, `]${ZWSP}(`)
    .replace(/\{\{/g, `{${ZWSP}{`)
    // Markdown needs a blank line to break a line.
    .replace(/\n+/g, "\n\n");
}

// ------------------------------------------------------------------ card

export function renderCard(msg: Message): AdaptiveCard {
  for (const textLimit of [LIMITS.text, 1_000, 300]) {
    const card = buildCard(msg, textLimit);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  }
  return buildCard({ summary: msg.summary, blocks: [{ kind: "text", text: msg.summary }] }, 300);
}

/** The outgoing activity for a message: one card, and the summary Teams shows in notifications. */
export function renderActivity(msg: Message): { type: "message"; summary: string; attachments: { contentType: string; content: AdaptiveCard }[] } {
  return { type: "message", summary: plain(msg.summary, LIMITS.summary), attachments: [{ contentType: CARD_CONTENT_TYPE, content: renderCard(msg) }] };
}

function buildCard(msg: Message, textLimit: number): AdaptiveCard {
  const forms = msg.blocks.filter((b) => b.kind === "form").length;
  const body: AdaptiveElement[] = [];
  let separateNext = false;
  for (const block of msg.blocks) {
    if (block.kind === "divider") {
      separateNext = true;
      continue;
    }
    const elements = renderBlock(block, { textLimit, formsInline: forms <= 1 });
    if (separateNext && elements[0]) elements[0] = { ...elements[0], separator: true, spacing: "Medium" };
    separateNext = false;
    body.push(...elements);
  }
  if (body.length === 0) body.push(textBlock(msg.summary, textLimit));
  const summary = plain(msg.summary, LIMITS.summary);
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    body,
    fallbackText: summary,
    speak: summary,
    msteams: { width: "Full" },
  };
}

type RenderOptions = { textLimit: number; formsInline: boolean };

function renderBlock(block: Exclude<Block, { kind: "divider" }>, options: RenderOptions): AdaptiveElement[] {
  switch (block.kind) {
    case "heading":
      return [{ type: "TextBlock", text: markdownSafe(block.text, LIMITS.heading), size: "Large", weight: "Bolder", wrap: true, style: "heading" }];
    case "text":
      return [textBlock(block.text, options.textLimit)];
    case "note":
      return [{ type: "TextBlock", text: markdownSafe(block.text, options.textLimit), isSubtle: true, size: "Small", wrap: true }];
    case "facts":
      return block.facts.length === 0
        ? []
        : [{ type: "FactSet", facts: block.facts.map((f) => ({ title: markdownSafe(f.label, LIMITS.factLabel), value: markdownSafe(f.value, LIMITS.factValue) })) }];
    case "buttons":
      return chunk(block.buttons, LIMITS.buttonsPerRow).map((row) => ({ type: "ActionSet", actions: row.map(buttonAction) }));
    case "form":
      return options.formsInline ? inlineForm(block) : [{ type: "ActionSet", actions: [formInShowCard(block)] }];
    case "file":
      return [fileElement(block, options.textLimit)];
    case "link":
      return [{ type: "ActionSet", actions: [{ type: "Action.OpenUrl", title: plain(block.label, LIMITS.buttonTitle), url: block.url }] }];
    case "image":
      // A card holds about 28 KB, too little for the PNG itself: the picture comes from its signed link, and its numbers are said as text.
      return [
        { type: "TextBlock", text: markdownSafe(block.title, LIMITS.heading), weight: "Bolder", wrap: true },
        ...(block.url ? [{ type: "Image", url: block.url, altText: plain(block.alt, LIMITS.text), size: "Stretch" }] : []),
        { type: "TextBlock", text: markdownSafe(block.alt, options.textLimit), isSubtle: true, size: "Small", wrap: true },
      ];
  }
}

function textBlock(text: string, max: number): AdaptiveElement {
  return { type: "TextBlock", text: markdownSafe(text, max), wrap: true };
}

// ------------------------------------------------------------------ actions

type Form = Extract<Block, { kind: "form" }>;

/** Action.Execute for `call`, with an Action.Submit fallback carrying the same data. */
export function executeAction(title: string, call: ActionCall, extra: Omit<ActionMeta, "action"> = {}, style?: Button["style"]): AdaptiveElement {
  const carried = call.people && Object.keys(call.people).length ? { carried: call.people } : {};
  const data = { ...call.args, [META_KEY]: { action: call.action, ...extra, ...carried } satisfies ActionMeta };
  const styled = style ? { style: style === "primary" ? "positive" : "destructive" } : {};
  const titled = plain(title, LIMITS.buttonTitle);
  return {
    type: "Action.Execute",
    title: titled,
    verb: call.action,
    data,
    ...styled,
    fallback: { type: "Action.Submit", title: titled, data, ...styled },
  };
}

function buttonAction(button: Button): AdaptiveElement {
  const action = executeAction(button.label, button.call, {}, button.style);
  if (!button.confirm) return action;
  // Adaptive Cards have no confirm dialog: the button opens a small card that asks first.
  return {
    type: "Action.ShowCard",
    title: plain(button.label, LIMITS.buttonTitle),
    card: { type: "AdaptiveCard", body: [textBlock(button.confirm, LIMITS.text)], actions: [action] },
  };
}

function formMeta(form: Form): Omit<ActionMeta, "action"> {
  const ids = (kind: Input["kind"]) => form.inputs.filter((i) => i.kind === kind).map((i) => i.id);
  const meta: Omit<ActionMeta, "action"> = { inputs: form.inputs.map((i) => i.id) };
  if (ids("multi").length) meta.multi = ids("multi");
  if (ids("datetime").length) meta.datetime = ids("datetime");
  if (ids("people").length) meta.people = ids("people");
  return meta;
}

function formBody(form: Form): AdaptiveElement[] {
  return [
    { type: "TextBlock", text: markdownSafe(form.title, LIMITS.heading), weight: "Bolder", wrap: true },
    ...form.inputs.flatMap(renderInput),
  ];
}

function inlineForm(form: Form): AdaptiveElement[] {
  return [
    { type: "Container", id: `form-${form.id}`, items: formBody(form) },
    { type: "ActionSet", actions: [executeAction(form.submitLabel, form.submit, formMeta(form), "primary")] },
  ];
}

/**
 * With two forms on one card, a submit would send and check every input on
 * the card; each form opens on its own instead, so only its inputs count.
 */
function formInShowCard(form: Form): AdaptiveElement {
  return {
    type: "Action.ShowCard",
    title: plain(form.openLabel, LIMITS.buttonTitle),
    card: { type: "AdaptiveCard", body: formBody(form), actions: [executeAction(form.submitLabel, form.submit, formMeta(form), "primary")] },
  };
}

// ------------------------------------------------------------------ inputs

function required(input: Input, label: string): AdaptiveElement {
  return input.optional ? { isRequired: false } : { isRequired: true, errorMessage: plain(teamsText.fillThisIn(label), LIMITS.label) };
}

export function renderInput(input: Input): AdaptiveElement[] {
  const label = plain(input.label, LIMITS.label);
  switch (input.kind) {
    case "text":
      return [
        {
          type: "Input.Text",
          id: input.id,
          label,
          isMultiline: Boolean(input.multiline),
          ...(input.initial !== undefined ? { value: input.initial } : {}),
          ...(input.placeholder ? { placeholder: plain(input.placeholder, LIMITS.placeholder) } : {}),
          ...(input.maxLength ? { maxLength: input.maxLength } : {}),
          ...required(input, label),
        },
      ];
    case "scale": {
      const initial = input.initial !== undefined ? { value: String(input.initial) } : {};
      if (input.max - input.min > 10) {
        return [{ type: "Input.Number", id: input.id, label, min: input.min, max: input.max, ...initial, ...required(input, label) }];
      }
      const choices = [];
      for (let n = input.min; n <= input.max; n++) {
        const words = n === input.min ? input.minLabel : n === input.max ? input.maxLabel : undefined;
        choices.push({ title: plain(words ? `${n} (${words})` : String(n), LIMITS.choice), value: String(n) });
      }
      return [{ type: "Input.ChoiceSet", id: input.id, label, style: "expanded", choices, ...initial, ...required(input, label) }];
    }
    case "single":
      return [
        {
          type: "Input.ChoiceSet",
          id: input.id,
          label,
          style: input.options.length <= 5 ? "expanded" : "compact",
          choices: input.options.map((o) => ({ title: plain(o.label, LIMITS.choice), value: o.value })),
          ...(input.initial !== undefined ? { value: input.initial } : {}),
          ...required(input, label),
        },
      ];
    case "multi":
      return [
        {
          type: "Input.ChoiceSet",
          id: input.id,
          label,
          isMultiSelect: true,
          style: input.options.length <= 8 ? "expanded" : "compact",
          choices: input.options.map((o) => ({ title: plain(o.label, LIMITS.choice), value: o.value })),
          ...(input.initial?.length ? { value: input.initial.join(",") } : {}),
          ...required(input, label),
        },
      ];
    case "datetime": {
      const [date, time] = splitDateTime(input.initial);
      return [
        { type: "Input.Date", id: `${input.id}__date`, label, ...(date ? { value: date } : {}), ...required(input, label) },
        { type: "Input.Time", id: `${input.id}__time`, label: teamsText.time, ...(time ? { value: time } : {}), ...required(input, label) },
      ];
    }
    case "people": {
      const many = choosesMany(input);
      // Teams' people picker: a ChoiceSet filled from the organisation's directory as the person types.
      return [
        {
          type: "Input.ChoiceSet",
          id: input.id,
          label,
          isMultiSelect: many,
          placeholder: plain(many ? pickerText.choosePeople : pickerText.choosePerson, LIMITS.placeholder),
          choices: [],
          "choices.data": { type: "Data.Query", dataset: PEOPLE_DATASET },
          ...required(input, label),
        },
      ];
    }
  }
}

/** "2026-03-10T14:00" (or a full ISO string) -> ["2026-03-10", "14:00"]. */
function splitDateTime(value: string | undefined): [string | undefined, string | undefined] {
  const match = value ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(value) : null;
  return match ? [match[1], match[2]] : [undefined, undefined];
}

// ------------------------------------------------------------------ files

type FileBlock = Extract<Block, { kind: "file" }>;

/**
 * Teams cannot open data: links from a card, and a bot can only send a real
 * file through the file-consent flow in a 1:1 chat (with OneDrive behind it).
 * So a calendar invite becomes an "add to Outlook calendar" link built from
 * the invite (NHS staff use Microsoft 365), and any other file is shown in a
 * card that opens on request.
 */
function fileElement(block: FileBlock, textLimit: number): AdaptiveElement {
  const event = block.mimeType.startsWith("text/calendar") ? parseInvite(block.content) : null;
  if (event) {
    return { type: "ActionSet", actions: [{ type: "Action.OpenUrl", title: plain(block.label, LIMITS.buttonTitle), url: outlookComposeLink(event) }] };
  }
  const cut = [...block.content].length > Math.min(LIMITS.fileShown, textLimit * 3);
  return {
    type: "ActionSet",
    actions: [
      {
        type: "Action.ShowCard",
        title: plain(block.label, LIMITS.buttonTitle),
        card: {
          type: "AdaptiveCard",
          body: [
            { type: "TextBlock", text: markdownSafe(block.content, Math.min(LIMITS.fileShown, textLimit * 3)), wrap: true, fontType: "Monospace", size: "Small" },
            ...(cut ? [{ type: "TextBlock", text: markdownSafe(teamsText.fileCut, LIMITS.text), isSubtle: true, size: "Small", wrap: true }] : []),
          ],
        },
      },
    ],
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
