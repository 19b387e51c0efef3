import type { types } from "@slack/bolt";
import { pickerText } from "../../src/messages/catalogue/platforms.ts";
import { choosesMany, type Block, type Button, type Input, type Message } from "../../src/messages/model.ts";
import type { FormBlock, PayloadCodec } from "./codec.ts";
import { slackText } from "../../src/messages/catalogue/platforms.ts";

/**
 * The Block Kit presenter: core Messages in, Slack blocks out. Pure: the
 * same message always renders the same way (snapshot-tested), and Slack's
 * size limits are respected here so a long message is cut politely rather
 * than refused by Slack.
 */
type KnownBlock = types.KnownBlock;
type PlainText = types.PlainTextElement;
type Option = types.PlainTextOption;

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonsPerActions: 25,
  buttonText: 75,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  optionText: 75,
  optionValue: 150,
  inputLabel: 2000,
  placeholder: 150,
  plainInput: 3000,
  radioOptions: 10,
} as const;

/** Action ids wesaid puts on buttons: a core call, or "open this form in a modal". */
export const CALL_ACTION_PREFIX = "wesaid.call.";
export const FORM_ACTION_PREFIX = "wesaid.form.";
export const FORM_CALLBACK_ID = "wesaid.form";
export const NOTICE_CALLBACK_ID = "wesaid.notice";
/** Each modal input puts its value under this action id, in a block named after the input. */
export const INPUT_ACTION_ID = "value";

export type RenderOptions = {
  codec: PayloadCodec;
  /** Where a file in the message will be: posted just after it, or in the person's DM (ephemeral replies). */
  files?: "here" | "dm";
  maxBlocks?: number;
};

export type RenderedMessage = { text: string; blocks: KnownBlock[] };

// ------------------------------------------------------------------ text

/** Escapes the three characters Slack's mrkdwn treats as markup, keeping user mentions working. */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/&lt;@([UW][A-Z0-9]{2,30})(?:\|[^<>&]*)?&gt;/g, "<@$1>");
}

export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join("")}…`;
}

/** Splits text into pieces of at most `max` characters, at line breaks, then spaces, when it can. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf("\n");
    if (cut < max / 2) cut = window.lastIndexOf(" ");
    if (cut < max / 2) cut = max;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

const plain = (text: string, max: number = LIMITS.sectionText): PlainText => ({ type: "plain_text", text: clip(text.trim() || " ", max), emoji: true });
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text: clip(text.trim() || " ", LIMITS.sectionText) });

// ------------------------------------------------------------------ messages

export function renderMessage(msg: Message, opts: RenderOptions): RenderedMessage {
  let counter = 0;
  const nextId = () => counter++;
  const blocks = msg.blocks.flatMap((block) => renderBlock(block, opts, nextId));
  return { text: clip(escapeMrkdwn(msg.summary), LIMITS.sectionText), blocks: fitBlocks(blocks, opts.maxBlocks ?? LIMITS.messageBlocks) };
}

function fitBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), { type: "context", elements: [mrkdwn(`_${slackText.cutShort}_`)] }];
}

function renderBlock(block: Block, opts: RenderOptions, nextId: () => number): KnownBlock[] {
  switch (block.kind) {
    case "heading":
      return [{ type: "header", text: plain(block.text, LIMITS.headerText) }];
    case "text":
      return splitText(escapeMrkdwn(block.text), LIMITS.sectionText).map((piece) => ({ type: "section", text: mrkdwn(piece) }));
    case "facts":
      return chunk(block.facts, LIMITS.fieldsPerSection).map((facts) => ({
        type: "section",
        fields: facts.map((f) => mrkdwn(clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, LIMITS.fieldText))),
      }));
    case "note":
      return [{ type: "context", elements: [mrkdwn(escapeMrkdwn(block.text))] }];
    case "divider":
      return [{ type: "divider" }];
    case "buttons":
      return chunk(block.buttons, LIMITS.buttonsPerActions).map((list) => ({ type: "actions", elements: list.map((b) => renderButton(b, opts, nextId())) }));
    case "form":
      return [renderFormOpener(block, opts, nextId())];
    case "file": {
      const say = opts.files === "dm" ? slackText.fileInDm : slackText.fileHere;
      return [{ type: "section", text: mrkdwn(say(escapeMrkdwn(block.label), escapeMrkdwn(block.filename))) }];
    }
    case "link":
      // Slack's link syntax is <url|label>: neither part may hold | or >, and & is written &amp; as in all mrkdwn.
      return [{ type: "section", text: mrkdwn(`:link: <${block.url.replace(/[|<>\s]/g, encodeURIComponent).replace(/&/g, "&amp;")}|${escapeMrkdwn(clip(block.label, 200)).replace(/\|/g, "/")}>`) }];
    case "image": {
      // The picture is uploaded after the message (see attachFiles); its numbers are said here too, as text.
      const say = opts.files === "dm" ? slackText.chartInDm : slackText.chartHere;
      return [
        { type: "section", text: mrkdwn(clip(say(escapeMrkdwn(block.title)), LIMITS.sectionText)) },
        { type: "context", elements: [mrkdwn(clip(escapeMrkdwn(block.alt), LIMITS.sectionText))] },
      ];
    }
  }
}

function renderButton(button: Button, opts: RenderOptions, n: number): types.Button {
  return {
    type: "button",
    action_id: `${CALL_ACTION_PREFIX}${n}`,
    text: plain(button.label, LIMITS.buttonText),
    value: opts.codec.encodeCall(button.call),
    ...(button.style ? { style: button.style } : {}),
    ...(button.confirm
      ? {
          confirm: {
            title: plain(slackText.confirmTitle, 100),
            text: plain(button.confirm, LIMITS.confirmText),
            confirm: plain(button.label, LIMITS.confirmButton),
            deny: plain(slackText.confirmNo, LIMITS.confirmButton),
            ...(button.style === "danger" ? { style: "danger" as const } : {}),
          },
        }
      : {}),
  };
}

function renderFormOpener(form: FormBlock, opts: RenderOptions, n: number): KnownBlock {
  return {
    type: "section",
    text: mrkdwn(`*${escapeMrkdwn(form.title)}*`),
    accessory: {
      type: "button",
      action_id: `${FORM_ACTION_PREFIX}${n}`,
      text: plain(form.openLabel, LIMITS.buttonText),
      value: opts.codec.encodeForm(form),
      style: "primary",
    },
  };
}

// ------------------------------------------------------------------ modals and App Home

/** The modal a form opens in. `privateMetadata` carries the call and where the form came from. */
export function renderFormModal(form: FormBlock, privateMetadata: string): types.ModalView {
  const titleFits = Array.from(form.title).length <= LIMITS.modalTitle;
  const blocks: KnownBlock[] = [
    ...(titleFits ? [] : [{ type: "section" as const, text: mrkdwn(`*${escapeMrkdwn(form.title)}*`) }]),
    ...form.inputs.map(renderInput),
  ];
  return {
    type: "modal",
    callback_id: FORM_CALLBACK_ID,
    title: plain(form.title, LIMITS.modalTitle),
    submit: plain(form.submitLabel, LIMITS.modalTitle),
    close: plain(slackText.modalCancel, LIMITS.modalTitle),
    private_metadata: privateMetadata,
    blocks: fitBlocks(blocks, LIMITS.viewBlocks),
  };
}

/** A modal that only shows a message (used to explain a refusal without losing the modal). */
export function renderNoticeModal(msg: Message, codec: PayloadCodec): types.ModalView {
  return {
    type: "modal",
    callback_id: NOTICE_CALLBACK_ID,
    title: plain(slackText.errorTitle, LIMITS.modalTitle),
    close: plain(slackText.modalClose, LIMITS.modalTitle),
    blocks: renderMessage(msg, { codec, files: "dm", maxBlocks: LIMITS.viewBlocks }).blocks,
  };
}

/** The App Home tab: the given messages one after another, divided. */
export function renderHome(messages: Message[], codec: PayloadCodec): types.HomeView {
  const blocks: KnownBlock[] = [];
  messages.forEach((msg, i) => {
    if (i > 0) blocks.push({ type: "divider" });
    blocks.push(...renderMessage(msg, { codec, files: "dm", maxBlocks: LIMITS.viewBlocks }).blocks);
  });
  if (blocks.length === 0) blocks.push({ type: "section", text: mrkdwn(escapeMrkdwn(slackText.homeEmpty)) });
  return { type: "home", blocks: fitBlocks(blocks, LIMITS.viewBlocks) };
}

function renderInput(input: Input): KnownBlock {
  return {
    type: "input",
    block_id: input.id.slice(0, 255),
    label: plain(input.label, LIMITS.inputLabel),
    optional: Boolean(input.optional),
    element: renderInputElement(input),
  };
}

function option(value: string, label: string): Option {
  return { text: plain(label, LIMITS.optionText), value: value.slice(0, LIMITS.optionValue) };
}

function renderInputElement(input: Input): types.InputBlockElement {
  switch (input.kind) {
    case "text":
      return {
        type: "plain_text_input",
        action_id: INPUT_ACTION_ID,
        multiline: Boolean(input.multiline),
        ...(input.maxLength ? { max_length: Math.min(input.maxLength, LIMITS.plainInput) } : {}),
        ...(input.initial ? { initial_value: clip(input.initial, LIMITS.plainInput) } : {}),
        ...(input.placeholder ? { placeholder: plain(input.placeholder, LIMITS.placeholder) } : {}),
      };
    case "scale": {
      const options: Option[] = [];
      for (let n = input.min; n <= input.max; n++) {
        const end = n === input.min ? input.minLabel : n === input.max ? input.maxLabel : undefined;
        options.push(option(String(n), end !== undefined ? `${n} (${end})` : String(n)));
      }
      const initial = input.initial === undefined ? undefined : options.find((o) => o.value === String(input.initial));
      return choiceElement(options, initial, options.length <= 5);
    }
    case "single": {
      const options = input.options.map((o) => option(o.value, o.label));
      const initial = options.find((o) => o.value === input.initial);
      return choiceElement(options, initial, options.length <= LIMITS.radioOptions);
    }
    case "multi": {
      const options = input.options.map((o) => option(o.value, o.label));
      const initial = options.filter((o) => o.value !== undefined && Boolean(input.initial?.includes(o.value)));
      const chosen = initial.length ? { initial_options: initial } : {};
      return options.length <= LIMITS.radioOptions
        ? { type: "checkboxes", action_id: INPUT_ACTION_ID, options, ...chosen }
        : { type: "multi_static_select", action_id: INPUT_ACTION_ID, options: options.slice(0, 100), ...chosen };
    }
    case "datetime": {
      const initial = input.initial ? Date.parse(input.initial) : Number.NaN;
      return { type: "datetimepicker", action_id: INPUT_ACTION_ID, ...(Number.isNaN(initial) ? {} : { initial_date_time: Math.floor(initial / 1000) }) };
    }
    case "people":
      return choosesMany(input)
        ? { type: "multi_users_select", action_id: INPUT_ACTION_ID, placeholder: plain(pickerText.choosePeople, LIMITS.placeholder) }
        : { type: "users_select", action_id: INPUT_ACTION_ID, placeholder: plain(pickerText.choosePerson, LIMITS.placeholder) };
  }
}

function choiceElement(options: Option[], initial: Option | undefined, asRadio: boolean): types.InputBlockElement {
  const chosen = initial ? { initial_option: initial } : {};
  return asRadio
    ? { type: "radio_buttons", action_id: INPUT_ACTION_ID, options, ...chosen }
    : { type: "static_select", action_id: INPUT_ACTION_ID, options: options.slice(0, 100), ...chosen };
}

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
