import type { Logger } from "../../src/context.ts";
import type { Core } from "../../src/core.ts";
import type { Interaction, Reply } from "../../src/interactions.ts";
import type { Message } from "../../src/messages/model.ts";
import type { PayloadCodec } from "./codec.ts";
import type { SlackMessenger } from "./messenger.ts";
import { renderHome } from "./render.ts";
import { slackText } from "../../src/messages/catalogue/platforms.ts";
import type { ReplyPlace } from "./translate.ts";

/**
 * Slack allows 3 seconds to acknowledge. An AckGate acknowledges once:
 * with the answer when the core is quick, or empty at the deadline, after
 * which the answer has to travel another way (response_url, a message).
 */
export class AckGate {
  private done = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ack: (response?: unknown) => Promise<void>,
    deadlineMs: number,
  ) {
    this.timer = setTimeout(() => void this.send(), deadlineMs);
    this.timer.unref();
  }

  /** Acknowledges with this body if nobody has acknowledged yet; says whether it did. */
  async send(response?: unknown): Promise<boolean> {
    if (this.done) return false;
    this.done = true;
    clearTimeout(this.timer);
    try {
      await this.ack(response);
      return true;
    } catch {
      return false;
    }
  }
}

export type ReplyEnv = { core: Core; messenger: SlackMessenger; codec: PayloadCodec; log: Logger };

export const simpleMessage = (text: string): Message => ({ summary: text, blocks: [{ kind: "text", text }] });

/** What the person should see privately: the core's private message, or its error, or the replacement when there is nothing to replace. */
export function privateMessageOf(reply: Reply, replaced: boolean): Message | undefined {
  if (reply.duplicate) return undefined;
  if (reply.private) return reply.private;
  if (reply.error) return simpleMessage(slackText.somethingWrong);
  return replaced ? undefined : reply.replaceSource;
}

/** Shows the core's Reply: replaces the source message, then tells the person privately. Never throws. */
export async function deliverReply(reply: Reply, place: ReplyPlace, env: ReplyEnv, teamId?: string): Promise<void> {
  if (reply.duplicate) return;
  try {
    const replaced = reply.replaceSource ? await replaceSource(reply.replaceSource, place, env) : false;
    const shown = privateMessageOf(reply, replaced);
    if (shown) await sendPrivately(shown, place, env);
    if (place.source?.kind === "home") await publishHome(place.userId, teamId, env);
  } catch (error) {
    env.log.error("could not show a reply in Slack", { error: error instanceof Error ? error.message : String(error) });
  }
}

async function replaceSource(message: Message, place: ReplyPlace, env: ReplyEnv): Promise<boolean> {
  const source = place.source;
  try {
    if (source?.kind === "message") {
      await env.messenger.updateMessage(source.channel, source.ts, message);
      return true;
    }
    if (source?.kind === "ephemeral") {
      await env.messenger.respond(source.responseUrl, message, true);
      return true;
    }
  } catch (error) {
    env.log.warn("could not update the message in place; sending the answer privately", { error: error instanceof Error ? error.message : String(error) });
  }
  return false;
}

/**
 * A private answer: a normal message in the person's DM with wesaid, an
 * ephemeral one elsewhere (response_url, else chat.postEphemeral), and the
 * DM as the last resort. Files always go to the DM.
 */
export async function sendPrivately(message: Message, place: ReplyPlace, env: ReplyEnv): Promise<void> {
  const routes: (() => Promise<unknown>)[] = [];
  if (place.botDm && place.channelId) {
    const channel = place.channelId;
    routes.push(async () => {
      await env.messenger.post(channel, message, "here");
      await env.messenger.attachFiles(channel, message).catch(() => env.messenger.attachFilesPrivately(place.userId, message));
    });
  } else {
    const shareFiles = () => env.messenger.attachFilesPrivately(place.userId, message);
    if (place.responseUrl) {
      const url = place.responseUrl;
      routes.push(async () => {
        await env.messenger.respond(url, message, false);
        await shareFiles();
      });
    }
    if (place.channelId && !place.channelId.startsWith("D")) {
      const channel = place.channelId;
      routes.push(async () => {
        await env.messenger.postEphemeral(channel, place.userId, message);
        await shareFiles();
      });
    }
    routes.push(async () => {
      const dm = await env.messenger.openDm(place.userId);
      await env.messenger.post(dm, message, "here");
      await env.messenger.attachFiles(dm, message);
    });
  }
  let lastError: unknown;
  for (const route of routes) {
    try {
      await route();
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Publishes the Home tab from the core's "home.view". Someone who has not
 * joined a programme yet sees the core's explanation and what they can do.
 */
export async function publishHome(userId: string, teamId: string | undefined, env: ReplyEnv, displayName?: string): Promise<void> {
  const user: Interaction["user"] = { externalId: userId, ...(teamId ? { tenantId: teamId } : {}), ...(displayName ? { displayName } : {}) };
  const ask = (input: Interaction["input"]) => env.core.handle({ platform: "slack", user, place: { kind: "direct" }, input });
  const messages: Message[] = [];
  const home = await ask({ kind: "action", action: "home.view", args: {} });
  if (home.private) messages.push(home.private);
  if (home.error) {
    const help = await ask({ kind: "command", text: "help" });
    if (help.private) messages.push(help.private);
  }
  await env.messenger.publishHome(userId, renderHome(messages, env.codec));
}
