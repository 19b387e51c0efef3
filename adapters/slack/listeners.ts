import type { AllMiddlewareArgs, App } from "@slack/bolt";
import type { Interaction, Reply } from "../../src/interactions.ts";
import { clip, CALL_ACTION_PREFIX, FORM_ACTION_PREFIX, FORM_CALLBACK_ID, renderFormModal, renderNoticeModal } from "./render.ts";
import type { Acceptance } from "../../src/core.ts";
import { deliverReply, publishHome, sendPrivately, simpleMessage, type ReplyEnv } from "./replies.ts";
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
  type ReplyPlace,
  unnamedMentionsIn,
  type Names,
  type ButtonPress,
  type Translated,
} from "./translate.ts";

/**
 * The Bolt listeners: each turns one kind of Slack input into one core
 * Interaction (translate.ts), stores it with core.accept, acknowledges Slack,
 * and leaves the work to the core's inbox; the Reply comes back through the
 * ReplySink registered here and is shown by replies.ts (response_url, an
 * ephemeral message or the DM). What can wait for the acknowledgement (Slack
 * display names, users.info) is done after it, in the sink's prepare().
 * No business rule lives here.
 */
export type ListenerEnv = ReplyEnv & { names: UserNames; ackDeadlineMs: number };

/** What the receiver adds (receiver.ts): acknowledge now, say it failed, the time left, and the signed request's key (requestKeyOf). */
type Context = AllMiddlewareArgs["context"] & { releaseAck?: () => void; failAck?: () => void; ackBudgetMs?: () => number; requestKey?: string };

/** Kept with the interaction in the inbox: where the reply goes, and how to translate again once names are known. */
type FollowUp = { place: ReplyPlace; teamId?: string; again?: { kind: "command" | "message" | "mention" | "shortcut"; body: unknown; botUserId?: string } };

export function registerListeners(app: App, env: ListenerEnv): void {
  const budget = (context: unknown) => (context as Context).ackBudgetMs?.() ?? Math.max(0, env.ackDeadlineMs - 500);

  // A core without an inbox (a stub in composition tests) has nothing to answer through.
  env.core.inbox?.onReply("slack", {
    async prepare(interaction, raw) {
      const followUp = raw as FollowUp;
      let prepared: Interaction = interaction;
      if (followUp.again) {
        const { kind, body, botUserId } = followUp.again;
        const translated = await named(body, (names) => translateAgain(kind, body, botUserId, names), botUserId);
        if (translated) prepared = { ...translated.interaction, ...(interaction.eventId ? { eventId: interaction.eventId } : {}) };
      }
      const about = await env.names.about(interaction.user.externalId);
      return about?.name || about?.timeZone
        ? { ...prepared, user: { ...prepared.user, ...(about.name ? { displayName: about.name } : {}), ...(about.timeZone ? { timeZone: about.timeZone } : {}) } }
        : prepared;
    },
    deliver: (reply, raw) => {
      const followUp = raw as FollowUp;
      return deliverReply(reply, followUp.place, env, followUp.teamId);
    },
  });

  function translateAgain(kind: NonNullable<FollowUp["again"]>["kind"], body: unknown, botUserId: string | undefined, names: Names | undefined): Translated | null {
    if (kind === "command") return fromSlashCommand(body, names);
    if (kind === "message") return fromDirectMessage(body, botUserId, names);
    if (kind === "mention") return fromMention(body, botUserId, names);
    return fromMessageShortcut(body, names);
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

  /**
   * Stores the interaction, then acknowledges; the work and the reply follow.
   * If it cannot be stored in time Slack is told it failed. A refusal the core
   * gives without storing (a form field that is not right) goes to `refused`
   * first, which may answer on the acknowledgement; otherwise it is shown privately.
   */
  async function take(
    interaction: Interaction,
    followUp: FollowUp,
    context: unknown,
    acknowledge: (body?: unknown) => Promise<unknown>,
    refused?: (reply: Reply) => Promise<boolean>,
  ): Promise<void> {
    let accepted: Acceptance;
    try {
      accepted = await env.core.accept(interaction, { followUp, deadlineMs: budget(context) });
    } catch (error) {
      env.log.warn("could not store a Slack interaction in time; Slack is told it failed", { error: error instanceof Error ? error.message : String(error) });
      (context as Context).failAck?.();
      return;
    }
    if (!accepted.accepted) {
      if (refused && (await refused(accepted.reply))) return;
      await acknowledge();
      return deliverReply(accepted.reply, followUp.place, env, followUp.teamId);
    }
    await acknowledge();
    env.core.process(accepted.id);
  }

  const acknowledgeWith = (ack: (response?: never) => Promise<void>) => (body?: unknown) => (ack as (response?: unknown) => Promise<void>)(body).catch(() => undefined);

  // Slash command: `/wesaid <text>` anywhere. The answer follows through response_url.
  // A slash command has no event id: its signed request (signature and timestamp) stands in, so a replay acts once.
  app.command(/.*/, async ({ body, ack, context }) => {
    const translated = fromSlashCommand(body);
    if (!translated) return void (await ack());
    const requestKey = (context as Context).requestKey;
    const interaction = requestKey ? { ...translated.interaction, eventId: requestKey } : translated.interaction;
    await take(interaction, { place: translated.place, again: { kind: "command", body } }, context, acknowledgeWith(ack));
  });

  // Text in the DM with wesaid, or "@wesaid ..." in a channel.
  async function onTextEvent(translated: Translated | null, context: Context, again: FollowUp["again"]) {
    if (!translated) return context.releaseAck?.();
    if (translated.place.botDm && translated.place.channelId) env.messenger.rememberDm(translated.place.userId, translated.place.channelId);
    await take(translated.interaction, { place: translated.place, again }, context, async () => context.releaseAck?.());
  }
  app.event("message", async ({ body, context }) =>
    onTextEvent(fromDirectMessage(body, context.botUserId), context as Context, { kind: "message", body, botUserId: context.botUserId }),
  );
  app.event("app_mention", async ({ body, context }) =>
    onTextEvent(fromMention(body, context.botUserId), context as Context, { kind: "mention", body, botUserId: context.botUserId }),
  );

  // The Home tab only reads: acknowledged at once, then published.
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
  app.action(new RegExp(`^${escapeRegExp(CALL_ACTION_PREFIX)}`), async ({ body, ack, context }) => {
    const press = fromBlockActions(body);
    if (!press) return void (await ack());
    await env.codec.prepare(press.value);
    const call = env.codec.decodeCall(press.value);
    if (!call) {
      await ack();
      return tellPrivately(press, slackText.expired);
    }
    await take(actionInteraction(press, call), { place: press.place, ...(press.user.tenantId ? { teamId: press.user.tenantId } : {}) }, context, acknowledgeWith(ack));
  });

  // A button that opens a form in a modal: no core interaction, only views.open (which needs the trigger id at once).
  app.action(new RegExp(`^${escapeRegExp(FORM_ACTION_PREFIX)}`), async ({ body, ack }) => {
    const press = fromBlockActions(body);
    if (!press) return void (await ack());
    await env.codec.prepare(press.value);
    const form = env.codec.decodeForm(press.value);
    if (!form || !press.place.triggerId) {
      await ack();
      return tellPrivately(press, slackText.expired);
    }
    const meta = env.codec.encodeMeta({ call: form.submit, source: press.place.source ?? { kind: "none" }, firstInput: form.inputs[0]?.id });
    try {
      await env.messenger.openModal(press.place.triggerId, renderFormModal(form, meta));
    } catch (error) {
      env.log.error("could not open a Slack modal", { error: error instanceof Error ? error.message : String(error) });
      await ack();
      return tellPrivately(press, slackText.somethingWrong);
    }
    await ack();
  });

  // A modal form sent. Fields that are not right keep the modal open with the reason (inside the acknowledgement);
  // otherwise the modal closes once the form is stored, and the answer follows privately or in the message it came from.
  app.view(FORM_CALLBACK_ID, async ({ body, ack, context }) => {
    const acknowledge = acknowledgeWith(ack);
    const submission = fromViewSubmission(body);
    if (submission) await env.codec.prepare(submission.privateMetadata);
    const meta = submission ? env.codec.decodeMeta(submission.privateMetadata) : null;
    if (!submission || !meta) {
      await acknowledge({ response_action: "update", view: renderNoticeModal(simpleMessage(slackText.expired), env.codec) });
      return;
    }
    const place = placeForSource(submission.user.externalId, meta.source);
    await take(formInteraction(submission, meta.call, meta.source), { place, ...(submission.user.tenantId ? { teamId: submission.user.tenantId } : {}) }, context, acknowledge, async (reply) => {
      const explanation = reply.private ?? simpleMessage(slackText.somethingWrong);
      // The reason goes under the field it is about when the modal has it, else under the first field.
      const field = reply.error?.field && reply.error.field in (body.view.state?.values ?? {}) ? reply.error.field : meta.firstInput;
      await acknowledge(
        reply.error?.code === "invalid_input" && field
          ? { response_action: "errors", errors: { [field]: clip(explanation.summary, 2000) } }
          : { response_action: "update", view: renderNoticeModal(explanation, env.codec) },
      );
      return true;
    });
  });

  // "Make this a suggestion" on any message.
  app.shortcut(MAKE_SUGGESTION_CALLBACK, async ({ body, ack, context }) => {
    const translated = fromMessageShortcut(body);
    if (!translated) return void (await ack());
    await take(translated.interaction, { place: translated.place, again: { kind: "shortcut", body } }, context, acknowledgeWith(ack));
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
