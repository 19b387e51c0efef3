import { describe, expect, it } from "vitest";
import { addressTraces, cleanTraces, mayHold, mentions, redactJson, redactText, wordsOf } from "../../../src/people/redaction.ts";

const r = { id: "erased-x", name: "someone who has left", words: "(removed)" };

describe("finding an erased person's traces in stored text", () => {
  it("finds their words whole, sentence by sentence, and shortened with an ellipsis", () => {
    const words = wordsOf(["The bus takes an hour each way. My son gets tired and upset by the end."]);
    const traces = cleanTraces({ ids: [], names: [], words });
    expect(redactText("Quote: The bus takes an hour each way. My son gets tired and upset by the end.", traces, r)).toBe("Quote: (removed)");
    // A digest that quotes one sentence, and a post that shortened the text.
    expect(redactText("“My son gets tired and upset by the end.”", traces, r)).toBe("“(removed)”");
    expect(redactText("New idea: The bus takes an hour each w…", traces, r)).toBe("New idea: (removed)");
    // The same start, not shortened and going on differently, is someone else's.
    expect(redactText("The bus takes an hour each way from Leeds", traces, r)).toBe("The bus takes an hour each way from Leeds");
  });

  it("does not search for words too short to be anybody's", () => {
    const traces = cleanTraces({ ids: [], names: [], words: wordsOf(["Yes", "ok thanks"]) });
    expect(traces.words).toEqual([]);
    expect(redactText("Yes, it answers what I said", traces, r)).toBe("Yes, it answers what I said");
  });

  it("takes out a name as a whole word only, so other words that contain it stay", () => {
    const traces = cleanTraces({ ids: [], names: ["Jo"], words: [] });
    expect(redactText("Jo joined. Join Jo's panel with Joanne.", traces, r)).toBe("someone who has left joined. Join someone who has left's panel with Joanne.");
  });

  it("replaces ids inside keys and JSON, keys of objects too, and says when nothing was found", () => {
    const traces = cleanTraces({ ids: ["p-123", "U0JO"], names: [], words: [] });
    expect(redactText("coown:a1:owner:p-123", traces, r)).toBe("coown:a1:owner:erased-x");
    const json = redactJson({ to: "U0JO", people: { "p-123": ["U0JO"] }, n: 3 }, traces, r);
    expect(json).toEqual({ changed: true, value: { to: "erased-x", people: { "erased-x": ["erased-x"] }, n: 3 } });
    const untouched = { to: "U0SAM" };
    expect(redactJson(untouched, traces, r)).toEqual({ changed: false, value: untouched });
    expect(mentions("sent to U0JO", traces)).toBe(true);
    expect(mentions("sent to U0SAM", traces)).toBe(false);
  });

  it("takes from a conversation address the person's own ids, never what everyone's address shares", () => {
    const address = (user: string, chat: string, name: string) => ({
      kind: "conversation",
      reference: { serviceUrl: "https://smba.example/", channelId: "msteams", bot: { id: "28:bot", name: "wesaid" }, user: { id: user, name, aadObjectId: `aad-${user}` }, conversation: { id: chat, tenantId: "t-1" } },
    });
    const traces = addressTraces([address("29:jo", "a:jo-chat", "Jo Carer")], [address("29:sam", "a:sam-chat", "Sam Okoro")]);
    expect(traces.sort()).toEqual(["29:jo", "Jo Carer", "a:jo-chat", "aad-29:jo"].sort());
    // Even with nobody else to compare with, the bot and the server are not the person's.
    const alone = addressTraces([address("29:jo", "a:jo-chat", "Jo Carer")], []);
    expect(alone).not.toContain("28:bot");
    expect(alone).not.toContain("wesaid");
    expect(alone).not.toContain("https://smba.example/");
  });

  it("never lets the quick first look pass over a row that holds a trace, quotes and line breaks included", () => {
    const words = 'She said "not again" and walked out of the room';
    const traces = cleanTraces({ ids: ["p-123"], names: ["Jo Carer"], words: wordsOf([words]) });
    const rows: unknown[] = [{ text: words }, { blocks: [{ text: `Quote:\n${words}` }] }, { to: "p-123" }, ["Jo Carer said"], { cut: `${words.slice(0, 25)}…` }];
    for (const row of rows) {
      expect(mayHold(row, traces)).toBe(true);
      expect(redactJson(row, traces, r).changed).toBe(true);
    }
    expect(mayHold({ text: "Nothing of hers here" }, traces)).toBe(false);
    expect(mayHold(null, traces)).toBe(false);
  });
});
