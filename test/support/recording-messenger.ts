import type { Message } from "../../src/messages/model.ts";
import type { Messenger, MessageRef, SendResult, Target } from "../../src/messenger.ts";

export type Sent = { target: Target; message: Message; ref: MessageRef };
export type Updated = { ref: MessageRef; message: Message };

/**
 * A fake of the platforms behind the messenger port: records what the core
 * sends, and can be told that someone is unreachable or that the platform is
 * throttling.
 */
export class RecordingMessenger implements Messenger {
  readonly sent: Sent[] = [];
  readonly updated: Updated[] = [];
  readonly unreachable = new Set<string>();
  /** Answer "retry" to this many sends before working again. */
  throttleNext = 0;
  private counter = 0;

  async send(target: Target, message: Message): Promise<SendResult> {
    if (this.unreachable.has(target.externalId)) return { ok: false, kind: "unreachable", detail: "they have not installed the app" };
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return { ok: false, kind: "retry", detail: "rate limited", retryAfterMs: 30_000, throttled: true };
    }
    const ref: MessageRef = { platform: target.platform, id: `m${++this.counter}`, to: target.externalId };
    this.sent.push({ target, message: structuredClone(message), ref });
    return { ok: true, ref };
  }

  async update(ref: MessageRef, message: Message): Promise<SendResult> {
    this.updated.push({ ref, message: structuredClone(message) });
    return { ok: true, ref };
  }

  /** Messages sent privately to this external id, oldest first. */
  to(externalId: string): Message[] {
    return this.sent.filter((s) => s.target.kind === "direct" && s.target.externalId === externalId).map((s) => s.message);
  }

  toChannel(externalId: string): Message[] {
    return this.sent.filter((s) => s.target.kind === "channel" && s.target.externalId === externalId).map((s) => s.message);
  }

  clear(): void {
    this.sent.length = 0;
    this.updated.length = 0;
  }
}
