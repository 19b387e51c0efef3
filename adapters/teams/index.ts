import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TeamsInfo,
  type Activity,
  type TurnContext,
} from "botbuilder";
import { StartupError } from "../../src/config.ts";
import { BodyTooLargeError, readBody, sendJson } from "../../src/http.ts";
import type { Interaction, Reply } from "../../src/interactions.ts";
import type { Message } from "../../src/messages/model.ts";
import type { AdapterDeps, PlatformAdapter } from "../../src/platform.ts";
import { TeamsConnector, TeamsMessenger, toSendResult } from "./messenger.ts";
import { CARD_CONTENT_TYPE, renderActivity, renderCard } from "./render.ts";
import { SigningKeys, unauthorized, type SigningKeyOptions } from "./signing-keys.ts";
import { Cooldowns, DEFAULT_RETRY_POLICY, TokenBuckets, teamsLimits, type RetryPolicy } from "./throttle.ts";
import { baseConversationId, externalIdOf, readAddress, referenceFor, scopeOf, translate, type Inbound, type TeamsAddress } from "./translate.ts";
import { teamsText } from "../../src/messages/catalogue/platforms.ts";
import { isReadableActivity } from "./activity-shape.ts";

/** For tests: shorter waits, a fixed random. Production uses the defaults. */
export type TeamsAdapterOptions = {
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** How long one call to the Bot Connector may take before it goes back to the outbox. */
  callTimeoutMs?: number;
  /** Where and how the Bot Framework's signing keys are fetched (tests: a fake on 127.0.0.1, a short time limit). */
  signingKeys?: SigningKeyOptions;
  /** The pacing windows (tests pass their own, to start each test with none used). */
  limiter?: TokenBuckets;
};

export const MESSAGES_PATH = "/api/messages";

/** How long an invoke waits for a private message to go before answering anyway. */
const INVOKE_BUDGET_MS = 2_500;

/** The promise's value if it settles within `ms`, else `late`. */
function within<T>(work: Promise<T>, ms: number, late: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * wesaid in Microsoft Teams: botbuilder's CloudAdapter behind POST /api/messages
 * on wesaid's own server. Activities become core Interactions; replies and
 * outbox messages become Adaptive Cards.
 */
export async function createTeamsAdapter(deps: AdapterDeps, options: TeamsAdapterOptions = {}): Promise<PlatformAdapter> {
  const { config, log, core, clock } = deps;
  const appId = config.MICROSOFT_APP_ID ?? "";
  const authenticated = appId !== "";
  if (!authenticated) {
    log.warn(
      "Teams is switched on WITHOUT authentication (TEAMS_ALLOW_UNAUTHENTICATED=1): anyone who can reach /api/messages can act as anyone. " +
        "Use this only with the Bot Framework Emulator or in tests. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for real use.",
    );
  }

  const adapter = new CloudAdapter(botAuthentication(deps));
  // Tokens are checked against keys fetched once, with a time limit, and shared with botbuilder.
  const signingKeys = authenticated ? new SigningKeys(options.signingKeys ?? {}, log) : undefined;
  if (signingKeys && !signingKeys.installInBotbuilder()) log.warn("could not give botbuilder wesaid's signing key cache; it fetches its own keys, without a time limit");
  const connector = new TeamsConnector({
    adapter,
    appId,
    limiter: options.limiter ?? new TokenBuckets(teamsLimits, () => performance.now()),
    cooldowns: new Cooldowns(() => clock.now().getTime()),
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    callTimeoutMs: options.callTimeoutMs,
    now: () => clock.now().getTime(),
    log,
  });
  const messenger = new TeamsMessenger(connector);

  /** The address the core holds for a Teams person (set by earlier interactions). */
  async function storedAddressOf(externalId: string): Promise<TeamsAddress | null> {
    const person = await core.directory.findPerson("teams", externalId);
    return readAddress(person?.address);
  }

  // ---------------------------------------------------------------- replies

  /**
   * A private reply. In a 1:1 chat it is simply the reply. Teams has no
   * messages only one person in a channel can see, so from a channel or group
   * chat it goes to the person's 1:1 chat with wesaid, and the thread is told
   * so; if that chat cannot be reached, the thread says how to fix it. What
   * was meant for one person is never posted where others can read it.
   */
  async function sendPrivately(context: TurnContext, interaction: Interaction, message: Message): Promise<boolean> {
    if (scopeOf(context.activity) === "personal") {
      const sent = await connector.reply(context, renderActivity(message));
      if (!sent.ok) log.warn("could not answer in Teams", { detail: sent.detail });
      return sent.ok;
    }
    const ok = await sendToPersonalChat(context.activity, interaction, message);
    const note = await connector.reply(context, { type: "message", text: ok ? teamsText.sentPrivately : teamsText.couldNotSendPrivately });
    if (!note.ok) log.warn("could not answer in a Teams thread", { detail: note.detail });
    return ok;
  }

  /** Sends to the person's 1:1 chat outside the turn (so it can finish after the turn has been answered). */
  async function sendToPersonalChat(activity: Activity, interaction: Interaction, message: Message): Promise<boolean> {
    if (scopeOf(activity) === "personal") {
      const sent = await connector.post(referenceFor(activity), renderActivity(message));
      if (!sent.ok) log.warn("could not answer in Teams", { detail: sent.detail });
      return sent.ok;
    }
    const stored = await storedAddressOf(interaction.user.externalId);
    const address = stored ?? readAddress(interaction.user.address);
    const result = address ? await messenger.send({ kind: "direct", platform: "teams", externalId: interaction.user.externalId, address }, message) : null;
    if (!result?.ok) log.warn("could not send a private Teams reply", { detail: result && !result.ok ? result.detail : "no address" });
    return result?.ok === true;
  }

  /** Work that may outlive the turn; stop() waits for it. */
  const background = new Set<Promise<unknown>>();
  function track<T>(work: Promise<T>): Promise<T> {
    background.add(work);
    void work.finally(() => background.delete(work)).catch(() => undefined);
    return work;
  }

  async function answerInvoke(context: TurnContext, body: { type: string; value: unknown }): Promise<void> {
    await context.sendActivity({ type: "invokeResponse", value: { status: 200, body: { statusCode: 200, ...body } } });
  }

  async function deliver(context: TurnContext, inbound: Extract<Inbound, { kind: "interaction" }>, reply: Reply): Promise<void> {
    const { interaction } = inbound;
    if (inbound.via === "invoke") {
      if (reply.duplicate) return answerInvoke(context, { type: "application/vnd.microsoft.activity.message", value: teamsText.done });
      let privately = false;
      // The refreshed card already says it: the same words again below would only confuse.
      const alsoPrivately = reply.private && !(reply.replaceSource && sameMessage(reply.private, reply.replaceSource));
      if (reply.private && alsoPrivately) {
        // Teams gives an invoke about five seconds: answer in time even if Teams is slow to take the message.
        const sending = track(sendToPersonalChat(context.activity, interaction, reply.private).catch(() => false));
        privately = await within(sending, INVOKE_BUDGET_MS, true);
      }
      if (reply.replaceSource) return answerInvoke(context, { type: CARD_CONTENT_TYPE, value: renderCard(reply.replaceSource) });
      const said = reply.private && scopeOf(context.activity) !== "personal" ? (privately ? teamsText.sentPrivately : teamsText.couldNotSendPrivately) : (reply.private?.summary ?? teamsText.done);
      return answerInvoke(context, { type: "application/vnd.microsoft.activity.message", value: said });
    }
    if (reply.duplicate) return;
    let replaced = false;
    if (reply.replaceSource && inbound.replyToId) {
      const updated = await connector.replaceInTurn(context, inbound.replyToId, renderActivity(reply.replaceSource));
      replaced = updated.ok;
      if (!updated.ok) log.warn("could not update a Teams card", { detail: updated.detail });
    }
    const toSend: Message[] = [];
    // A typed command has no card to replace: what would have replaced it is the answer.
    if (reply.replaceSource && !replaced) toSend.push(reply.replaceSource);
    // The same words twice (in the card and again below it) would only confuse.
    if (reply.private && !(reply.replaceSource && sameMessage(reply.private, reply.replaceSource))) toSend.push(reply.private);
    for (const message of toSend) await sendPrivately(context, interaction, message);
  }

  async function welcome(context: TurnContext, inbound: Extract<Inbound, { kind: "welcome" }>): Promise<void> {
    // Installing the app is the one time Teams gives the address to write to this person later.
    await core.directory.remember("teams", inbound.interaction.user);
    const reply = await core.handle(inbound.interaction);
    const message = reply.private;
    if (!message) return;
    const activity = context.activity;
    // A new post, not a reply: a conversationUpdate is not a message to answer.
    const reference = referenceFor(activity, inbound.scope === "personal" ? activity.conversation.id : baseConversationId(activity.conversation.id));
    const posted = await connector.post(reference, renderActivity(message));
    if (!posted.ok) log.warn("could not say hello in Teams", { detail: toSendResult(posted, teamsText.channelGone).detail });
  }

  /** Teams mentions carry the person's Teams id; the core knows people by their Entra object id. */
  async function resolveMentions(context: TurnContext): Promise<void> {
    if (scopeOf(context.activity) === "personal") return;
    for (const entity of context.activity.entities ?? []) {
      const mentioned = (entity as { type?: string; mentioned?: { id?: string; aadObjectId?: string } }).mentioned;
      if (entity.type !== "mention" || !mentioned?.id || mentioned.aadObjectId || mentioned.id === context.activity.recipient.id) continue;
      const member = await connector.guarded([`conversation:${baseConversationId(context.activity.conversation.id)}`], () => TeamsInfo.getMember(context, mentioned.id!));
      if (member.ok && member.value.aadObjectId) mentioned.aadObjectId = member.value.aadObjectId;
    }
  }

  // ---------------------------------------------------------------- the turn

  async function onTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const isInvoke = activity.type === "invoke";
    try {
      await resolveMentions(context);
      const stored = activity.from?.id && scopeOf(activity) !== "personal" ? await storedAddressOf(externalIdOf(activity.from)) : null;
      const inbound = translate(activity, { storedUserAddress: stored });
      switch (inbound.kind) {
        case "ignore":
          if (isInvoke) await context.sendActivity({ type: "invokeResponse", value: { status: 200, body: {} } });
          return;
        case "remember":
          await core.directory.remember("teams", inbound.interaction.user);
          return;
        case "welcome":
          return await welcome(context, inbound);
        case "interaction":
          return await deliver(context, inbound, await core.handle(inbound.interaction));
      }
    } catch (error) {
      log.error("a Teams activity could not be handled", { type: activity.type, error: error instanceof Error ? error.stack : String(error) });
      if (isInvoke) await context.sendActivity({ type: "invokeResponse", value: { status: 500, body: {} } }).catch(() => undefined);
    }
  }

  // ---------------------------------------------------------------- HTTP

  async function handleMessages(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw error;
      return sendJson(res, 400, { error: "The request body is not valid JSON." });
    }
    if (!isActivity(body)) return sendJson(res, 400, { error: "The request body is not a Bot Framework activity (it needs a type, and fields of the right types)." });
    // A missing, malformed or unverifiable token is refused here, quickly; botbuilder checks the rest.
    if (signingKeys && !(await signingKeys.plausible(req.headers.authorization))) return sendJson(res, 401, { error: "Unauthorized." });
    await adapter.process({ body, headers: req.headers, method: req.method }, responseShim(res), onTurn);
  }

  return {
    platform: "teams",
    description: `Microsoft Teams (Bot Framework at ${MESSAGES_PATH}${authenticated ? "" : ", WITHOUT authentication: local testing only"})`,
    routes: [{ method: "POST", path: MESSAGES_PATH, handle: handleMessages }],
    messenger,
    async stop() {
      await Promise.allSettled([...background]);
    },
  };
}

/**
 * ConfigurationBotFrameworkAuthentication from wesaid's settings. The Azure
 * SDK under botbuilder would otherwise retry 429s and 5xx itself, sleeping
 * for as long as Teams asks; wesaid's own limiter and outbox decide that
 * instead, so the SDK's retry policy is taken out of every connector client.
 */
function botAuthentication({ config }: AdapterDeps): ConfigurationBotFrameworkAuthentication {
  const settings = {
    MicrosoftAppId: config.MICROSOFT_APP_ID,
    MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
    MicrosoftAppType: config.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
  };
  try {
    return new WesaidBotAuthentication(settings, new ConfigurationServiceClientCredentialFactory(settings));
  } catch (error) {
    throw new StartupError(`The Teams settings are not complete: ${error instanceof Error ? error.message : String(error)}`);
  }
}

type ConnectorFactoryOf = ReturnType<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>;

class WesaidBotAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string) {
    // botbuilder lets a token with a bad signature escape as a plain error, which CloudAdapter answers with 500.
    const result = await super.authenticateRequest(activity, authHeader).catch((error: unknown) => {
      throw unauthorized(error);
    });
    return result.connectorFactory ? { ...result, connectorFactory: withoutSdkRetries(result.connectorFactory) } : result;
  }

  override createConnectorFactory(...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>): ConnectorFactoryOf {
    return withoutSdkRetries(super.createConnectorFactory(...args));
  }
}

function withoutSdkRetries(factory: ConnectorFactoryOf): ConnectorFactoryOf {
  return {
    async create(serviceUrl: string, audience?: string) {
      const client = await factory.create(serviceUrl, audience);
      (client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } }).client?.pipeline?.removePolicy({ name: "defaultRetryPolicy" });
      return client;
    },
  } as ConnectorFactoryOf;
}

/** The Express-like response botbuilder writes to, over node's own. */
function responseShim(res: ServerResponse) {
  return {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(body: unknown) {
      if (body === undefined || body === null) return;
      if (typeof body === "string" || Buffer.isBuffer(body)) {
        if (!res.hasHeader("content-type")) res.setHeader("content-type", "text/plain; charset=utf-8");
        res.write(body);
        return;
      }
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.write(JSON.stringify(body));
    },
    end() {
      res.end();
    },
  };
}

function isActivity(body: unknown): body is Record<string, unknown> & { type: string } {
  return isReadableActivity(body);
}

function sameMessage(a: Message, b: Message): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
