import { createPublicKey, type JsonWebKey } from "node:crypto";
import { createRequire } from "node:module";
import { z } from "zod";
import type { Logger } from "../../src/context.ts";

/** botbuilder's own copy of botframework-connector (not a dependency of wesaid's own), so the cache we fill is the one it reads. */
const requireFromBotbuilder = createRequire(createRequire(import.meta.url).resolve("botbuilder"));
const connector = requireFromBotbuilder("botframework-connector") as {
  AuthenticationConstants: { ToBotFromChannelOpenIdMetadataUrl: string; ToBotFromEmulatorOpenIdMetadataUrl: string; AllowedSigningAlgorithms: string[] };
  EmulatorValidation: { isTokenFromEmulator(header: string): boolean };
  SkillValidation: { isSkillToken(header: string): boolean };
  AuthenticationError: new (message: string, statusCode: number) => Error;
};
const { AuthenticationConstants, EmulatorValidation, SkillValidation } = connector;

/** The error botbuilder's CloudAdapter answers with 401 (any other error becomes a 500). */
export function unauthorized(reason: unknown): Error {
  if (reason instanceof connector.AuthenticationError) return reason;
  return new connector.AuthenticationError(`Unauthorized: ${reason instanceof Error ? reason.message : String(reason)}`, 401);
}

/**
 * The Bot Framework's signing keys, fetched with a time limit and kept.
 *
 * botbuilder checks every request's token against keys it fetches from
 * login.botframework.com (and, for the Emulator and skills, Microsoft Entra),
 * with no time limit, and each request that finds the cache empty fetches on
 * its own. So a forged token while that service is slow held a request open
 * for ever, and a burst of them made a burst of fetches. Here one fetch serves
 * everyone waiting, it gives up after `timeoutMs`, a failure is not retried for
 * `retryAfterFailureMs` (requests meanwhile are refused at once), and botbuilder
 * is given these same keys (installKeys) so it never fetches by itself.
 */
export type SigningKeyOptions = {
  /** Where to fetch the metadata documents from, instead of Microsoft's (tests point them at a fake). */
  metadataUrls?: { channel?: string; emulator?: string };
  /** How long one fetch (metadata and keys together) may take. */
  timeoutMs?: number;
  /** How long fetched keys are kept. botbuilder keeps them a day. */
  keepMs?: number;
  /** After a failed fetch, how long to refuse without fetching again. */
  retryAfterFailureMs?: number;
  /** A key not among those kept is looked for again at most this often. */
  unknownKeyRefetchMs?: number;
  now?: () => number;
};

export type SigningKey = { key: string; endorsements?: string[] };

const metadataSchema = z.object({ jwks_uri: z.string().url().max(2000) }).passthrough();
const keysSchema = z.object({
  keys: z
    .array(z.object({ kid: z.string().max(200), kty: z.string().max(20), n: z.string().max(4000).optional(), e: z.string().max(20).optional(), endorsements: z.array(z.string().max(200)).max(200).optional() }).passthrough())
    .max(200),
});

/** One metadata document and its keys. */
export class KeySet {
  private keys = new Map<string, SigningKey>();
  private fetchedAt = -Infinity;
  private failedAt = -Infinity;
  private fetching: Promise<void> | undefined;
  /** How many times the metadata document was fetched (for tests and the log). */
  fetches = 0;

  constructor(
    private readonly url: string,
    private readonly options: Required<Omit<SigningKeyOptions, "metadataUrls">>,
    private readonly log: Logger,
  ) {}

  /** The key with this id, or null when it is unknown or the keys cannot be fetched in time. Never throws. */
  async find(kid: string): Promise<SigningKey | null> {
    const now = this.options.now();
    const stale = now - this.fetchedAt > this.options.keepMs;
    const missing = !this.keys.has(kid) && now - this.fetchedAt > this.options.unknownKeyRefetchMs;
    if ((stale || missing) && now - this.failedAt > this.options.retryAfterFailureMs) await this.refresh();
    return this.keys.get(kid) ?? null;
  }

  private refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => {
      this.fetching = undefined;
    });
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    this.fetches++;
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const metadata = metadataSchema.parse(await getJson(this.url, signal));
      const { keys } = keysSchema.parse(await getJson(metadata.jwks_uri, signal));
      const next = new Map<string, SigningKey>();
      for (const jwk of keys) {
        if (jwk.kty !== "RSA" || !jwk.n || !jwk.e) continue;
        const key = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e } as JsonWebKey, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
        next.set(jwk.kid, { key, ...(jwk.endorsements ? { endorsements: jwk.endorsements } : {}) });
      }
      this.keys = next;
      this.fetchedAt = this.options.now();
    } catch (error) {
      this.failedAt = this.options.now();
      this.log.warn("could not fetch the Bot Framework's signing keys; Teams requests are refused until they can be", {
        url: this.url,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { signal, redirect: "error", headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
  return response.json();
}

/** The two key sets botbuilder uses: the channel's, and the Emulator's and skills'. */
export class SigningKeys {
  readonly channel: KeySet;
  readonly emulator: KeySet;

  constructor(options: SigningKeyOptions, log: Logger) {
    const settings = {
      timeoutMs: options.timeoutMs ?? 5_000,
      keepMs: options.keepMs ?? 24 * 60 * 60 * 1000,
      retryAfterFailureMs: options.retryAfterFailureMs ?? 30_000,
      unknownKeyRefetchMs: options.unknownKeyRefetchMs ?? 5 * 60 * 1000,
      now: options.now ?? Date.now,
    };
    this.channel = new KeySet(options.metadataUrls?.channel ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl, settings, log);
    this.emulator = new KeySet(options.metadataUrls?.emulator ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl, settings, log);
  }

  /**
   * Whether an Authorization header is worth botbuilder's full check: a
   * well-formed bearer JWT signed with an algorithm botbuilder allows, by a key
   * the Bot Framework publishes. Anything else is refused here, quickly.
   */
  async plausible(header: string | undefined): Promise<boolean> {
    const kid = keyIdOf(header);
    if (!kid || !header) return false;
    const set = EmulatorValidation.isTokenFromEmulator(header) || SkillValidation.isSkillToken(header) ? this.emulator : this.channel;
    return (await set.find(kid)) !== null;
  }

  /** Gives botbuilder these key sets in place of its own, which fetch with no time limit. */
  installInBotbuilder(): boolean {
    const extractor = requireFromBotbuilder("botframework-connector/lib/auth/jwtTokenExtractor.js") as { JwtTokenExtractor?: { openIdMetadataCache?: unknown } };
    const cache = extractor.JwtTokenExtractor?.openIdMetadataCache;
    if (!(cache instanceof Map)) return false;
    // botbuilder looks its key sets up by the official addresses, whichever address we fetch from.
    cache.set(AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl, { getKey: (kid: string) => this.channel.find(kid) });
    cache.set(AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl, { getKey: (kid: string) => this.emulator.find(kid) });
    return true;
  }
}

const jwtHeaderSchema = z.object({ alg: z.enum(AuthenticationConstants.AllowedSigningAlgorithms as [string, ...string[]]), kid: z.string().min(1).max(200) });

/** The key id of a "Bearer <jwt>" header, or null when the header is not one. */
export function keyIdOf(header: string | undefined): string | null {
  if (!header || header.length > 16_000) return null;
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
  if (!match) return null;
  try {
    const parsed = jwtHeaderSchema.safeParse(JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")));
    const payload = JSON.parse(Buffer.from(match[2]!, "base64url").toString("utf8")) as unknown;
    if (!parsed.success || payload === null || typeof payload !== "object" || typeof (payload as { iss?: unknown }).iss !== "string") return null;
    return parsed.data.kid;
  } catch {
    return null;
  }
}
