import type { AllMiddlewareArgs, App } from "@slack/bolt";
import type { Interaction, Reply } from "../../src/interactions.ts";
import { clip, CALL_ACTION_PREFIX, FORM_ACTION_PREFIX, FORM_CALLBACK_ID, renderFormModal, renderNoticeModal } from "./render.ts";
import { AckGate, deliverReply, privateMessageOf, publishHome, sendPrivately, simpleMessage, type ReplyEnv } from "./replies.ts";
import type { UserNames } from "./names.ts";
import { slackText } from "../../src/messages/catalogue/platforms.ts";
import {
  actionInteraction,
  formInteraction,
  fromBlockActions,
  fromDirectMessage,
  fromHomeOpened,
  fromMention,
  fromMessageShortcut,
  fromSlashCommand,
  fromViewSubmission,
  MAKE_SUGGESTION_CALLBACK,
  placeForSource,
  textOfPayload,
  unnamedMentionsIn,
  type Names,
  type ButtonPress,
  type Translated,
} from "./translate.ts";

/**
 * The Bolt listeners: each turns one kind of Slack input into one core
 * Interaction (translate.ts), calls core.handle, acknowledges Slack, and
 * shows the Reply (replies.ts). No business rule lives here.
 */
export type ListenerEnv = ReplyEnv & { names: UserNames; ackDeadlineMs: number };

/** What the receiver adds: a way to acknowledge early, and the signed request's key (receiver.ts, requestKeyOf). */
type Context = AllMiddlewareArgs["context"] & { releaseAck?: () => void; requestKey?: string };

export function registerListeners(app: App, env: ListenerEnv): void {
  const gate = (ack: (response?: never) => Promise<void>) => new AckGate(ack as (response?: unknown) => Promise<void>, env.ackDeadlineMs);

  /** Adds the person's display name and asks the core. */
  async function handle(interaction: Interaction): Promise<Reply> {
    const displayName = await env.names.lookup(interaction.user.externalId);
    return env.core.handle({ ...interaction, user: { ...interaction.user, ...(displayName ? { displayName } : {}) } });
  }

  /**
   * Translates a payload with the names of the people its text mentions
   * without naming them (users.info), so the core reads "@Jo" rather than
   * "@someone-1". Payloads that are not ours cost no lookup.
   */
  async function named(body: unknown, translate: (names?: Names) => Translated | null, botUserId?: string): Promise<Translated | null> {
    if (!translate()) return null;
    const ids = unnamedMentionsIn(textOfPayload(body))
      .filter((id) => id !== botUserId)
      .slice(0, 20);
    if (ids.length === 0) return translate();
    const names = await Promise.all(ids.map(async (id) => [id, await env.names.lookup(id)] as const));
    return translate(new Map(names.filter((pair): pair is readonly [string, string] => pair[1] !== undefined)));
  }

  // Slash command: `/wesaid <text>` anywhere. A quick answer rides on the acknowledgement.
  // A slash command has no event id: its signed request (signature and timestamp) stands in, so a replay acts once.
  app.command(/.*/, async ({ body, ack, context }) => {
    const ackGate = gate(ack);
    const translated = await named(body, (names) => fromSlashCommand(body, names));
    if (!translated) return void (await ackGate.send());
    const requestKey = (context as Context).requestKey;
    const reply = await handle(requestKey ? { ...translated.interaction, eventId: requestKey } : translated.interaction);
    const shown = privateMessageOf(reply, false);
    if (!shown) return void (await ackGate.send());
    const rendered = env.messenger.render(shown, "dm");
    if (await ackGate.send({ response_type: "ephemeral", text: rendered.text, blocks: rendered.blocks })) {
      await env.messenger.attachFilesPrivately(translated.place.userId, shown);
      return;
    }
    await deliverReply(reply, translated.place, env);
  });

  // Text in the DM with wesaid, or "@wesaid ..." in a channel.
  async function onTextEvent(translated: Translated | null, context: Context) {
    if (!translated) return;
    if (translated.place.botDm && translated.place.channelId) env.messenger.rememberDm(translated.place.userId, translated.place.channelId);
    const reply = await handle(translated.interaction);
    context.releaseAck?.();
    await deliverReply(reply, translated.place, env);
  }
  app.event("message", async ({ body, context }) => onTextEvent(await named(body, (names) => fromDirectMessage(body, context.botUserId, names), context.botUserId), context as Context));
  app.event("app_mention", async ({ body, context }) => onTextEvent(await named(body, (names) => fromMention(body, context.botUserId, names), context.botUserId), context as Context));

  app.event("app_home_opened", async ({ body, context }) => {
    const opened = fromHomeOpened(body);
    (context as Context).releaseAck?.();
    if (!opened) return;
    try {
      await publishHome(opened.userId, opened.teamId, env, await env.names.lookup(opened.userId));
    } catch (error) {
      env.log.error("could not publish the Slack Home tab", { error: error instanceof Error ? error.message : String(error) });
    }
  });

  // A button carrying a core call.
  app.action(new RegExp(`^${escapeRegExp(CALL_ACTION_PREFIX)}`), async ({ body, ack }) => {
    const ackGate = gate(ack);
    const press = fromBlockActions(body);
    if (!press) return void (await ackGate.send());
    await env.codec.prepare(press.value);
    const call = env.codec.decodeCall(press.value);
    if (!call) {
      await ackGate.send();
      return tellPrivately(press, slackText.expired);
    }
    const reply = await handle(actionInteraction(press, call));
    await ackGate.send();
    await deliverReply(reply, press.place, env, press.user.tenantId);
  });

  // A button that opens a form in a modal.
  app.action(new RegExp(`^${escapeRegExp(FORM_ACTION_PREFIX)}`), async ({ body, ack }) => {
    const ackGate = gate(ack);
    const press = fromBlockActions(body);
    if (!press) return void (await ackGate.send());
    await env.codec.prepare(press.value);
    const form = env.codec.decodeForm(press.value);
    if (!form || !press.place.triggerId) {
      await ackGate.send();
      return tellPrivately(press, slackText.expired);
    }
    const meta = env.codec.encodeMeta({ call: form.submit, source: press.place.source ?? { kind: "none" }, firstInput: form.inputs[0]?.id });
    try {
      await env.messenger.openModal(press.place.triggerId, renderFormModal(form, meta));
    } catch (error) {
      env.log.error("could not open a Slack modal", { error: error instanceof Error ? error.message : String(error) });
      await ackGate.send();
      return tellPrivately(press, slackText.somethingWrong);
    }
    await ackGate.send();
  });

  // A modal form sent. A refusal keeps the modal open with the reason; success closes it and updates the message.
  app.view(FORM_CALLBACK_ID, async ({ body, ack }) => {
    const ackGate = gate(ack);
    const submission = fromViewSubmission(body);
    if (submission) await env.codec.prepare(submission.privateMetadata);
    const meta = submission ? env.codec.decodeMeta(submission.privateMetadata) : null;
    if (!submission || !meta) {
      await ackGate.send({ response_action: "update", view: renderNoticeModal(simpleMessage(slackText.expired), env.codec) });
      return;
    }
    const reply = await handle(formInteraction(submission, meta.call, meta.source));
    const place = placeForSource(submission.user.externalId, meta.source);
    if (reply.error) {
      const explanation = reply.private ?? simpleMessage(slackText.somethingWrong);
      const keepOpen =
        reply.error.code === "invalid_input" && meta.firstInput
          ? { response_action: "errors", errors: { [meta.firstInput]: clip(explanation.summary, 2000) } }
          : { response_action: "update", view: renderNoticeModal(explanation, env.codec) };
      if (await ackGate.send(keepOpen)) return;
    } else {
      await ackGate.send();
    }
    await deliverReply(reply, place, env, submission.user.tenantId);
  });

  // "Make this a suggestion" on any message.
  app.shortcut(MAKE_SUGGESTION_CALLBACK, async ({ body, ack }) => {
    const ackGate = gate(ack);
    const translated = await named(body, (names) => fromMessageShortcut(body, names));
    if (!translated) return void (await ackGate.send());
    const reply = await handle(translated.interaction);
    await ackGate.send();
    await deliverReply(reply, translated.place, env);
  });

  async function tellPrivately(press: ButtonPress, text: string): Promise<void> {
    await sendPrivately(simpleMessage(text), press.place, env).catch((error) =>
      env.log.error("could not answer a Slack button", { error: error instanceof Error ? error.message : String(error) }),
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
