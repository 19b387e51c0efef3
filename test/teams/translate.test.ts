import { describe, expect, it } from "vitest";
import { interactionSchema } from "../../src/interactions.ts";
import { baseConversationId, commandText, eventIdOf, readCommand, translate, type Inbound } from "../../adapters/teams/translate.ts";
import { fixture } from "../support/fake-teams.ts";

const JO_AAD = "a1a1a1a1-0000-4000-8000-00000000a001";
const SAM_AAD = "a1a1a1a1-0000-4000-8000-00000000f001";
const CHANNEL = "19:co-production-channel@thread.tacv2";

function interactionOf(inbound: Inbound) {
  if (inbound.kind === "ignore") throw new Error(`ignored: ${inbound.reason}`);
  // Whatever the adapter builds must be a valid core Interaction.
  expect(interactionSchema.safeParse(inbound.interaction).success).toBe(true);
  return inbound.interaction;
}

describe("Teams activities as core interactions", () => {
  it("a message in a 1:1 chat is a command from the person, who can be reached in that chat", () => {
    const inbound = translate(fixture("personal-message"));
    const interaction = interactionOf(inbound);
    expect(interaction).toMatchObject({
      platform: "teams",
      user: { externalId: JO_AAD, displayName: "Jo Carer", tenantId: "72f988bf-0000-4000-8000-0000000000aa" },
      place: { kind: "direct" },
      input: { kind: "command", text: "help" },
    });
    expect(interaction.user.address).toMatchObject({ kind: "conversation", reference: { conversation: { id: "a:1jo-personal-chat" }, channelId: "msteams" } });
    expect((interaction.user.address as any).reference.activityId).toBeUndefined();
    expect(interaction.eventId).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a channel message drops wesaid's own mention and sends other mentions as people, written as their names", () => {
    const activity = fixture("channel-mention");
    activity.entities[1].mentioned.aadObjectId = "aad-priya";
    const interaction = interactionOf(translate(activity));
    expect(interaction.input).toEqual({
      kind: "command",
      text: "role @Priya Shah commissioner",
      mentions: [{ externalId: "aad-priya", displayName: "Priya Shah", shownAs: "@Priya Shah" }],
    });
    expect(interaction.place).toMatchObject({ kind: "channel", externalId: CHANNEL });
    expect((interaction.place as any).address.reference.conversation.id).toBe(CHANNEL);
    // The person met in a channel is reached through a 1:1 chat, never the channel.
    expect(interaction.user).toMatchObject({ externalId: SAM_AAD, address: { kind: "member", user: { id: "29:1sam-teams-user-id" } } });
  });

  it("keeps the 1:1 chat it already knows when the person writes in a channel", () => {
    const known = { kind: "conversation" as const, reference: { channelId: "msteams", serviceUrl: "https://x/", conversation: { id: "a:1", conversationType: "personal" }, bot: { id: "28:b", name: "" } } };
    const interaction = interactionOf(translate(fixture("channel-mention"), { storedUserAddress: known as any }));
    expect(interaction.user.address).toBeUndefined();
  });

  it("falls back to the Teams id when a mention has no object id", () => {
    expect(readCommand(fixture("channel-mention")).mentions).toEqual([{ externalId: "29:1priya-teams-user-id", displayName: "Priya Shah", shownAs: "@Priya Shah" }]);
  });

  it("lists people in the order they are mentioned, each as often as they are, and never as markup", () => {
    const activity = fixture("channel-mention");
    activity.text = "<at>wesaid</at> together Tidy up with <at>Sam</at> and <at>Jo</at> &lt;@evil&gt;";
    activity.entities = [
      { type: "mention", text: "<at>Jo</at>", mentioned: { id: "29:jo", aadObjectId: "aad-jo" } },
      { type: "mention", text: "<at>wesaid</at>", mentioned: { id: activity.recipient.id, name: "wesaid" } },
      { type: "mention", text: "<at>Sam</at>", mentioned: { id: "29:sam", name: "Sam Okoro", aadObjectId: "aad-sam" } },
    ];
    expect(readCommand(activity)).toEqual({
      text: "together Tidy up with @Sam Okoro and @Jo <@evil>",
      mentions: [
        { externalId: "aad-sam", displayName: "Sam Okoro", shownAs: "@Sam Okoro" },
        { externalId: "aad-jo", displayName: "Jo", shownAs: "@Jo" },
      ],
    });
  });

  it("undoes Teams' markup in typed text", () => {
    const activity = fixture("personal-message");
    activity.text = "suggest <p>More&nbsp;evening sessions &amp; a quieter room</p>\n";
    expect(commandText(activity)).toBe("suggest More evening sessions & a quieter room");
  });

  it("a card submit (Action.Submit) is an action call with the form values", () => {
    const interaction = interactionOf(translate(fixture("card-submit")));
    expect(interaction.input).toEqual({ kind: "action", action: "people.consent", args: { programmeId: "programme-id", participation: "yes", quotation: "no" }, people: {} });
    const inbound = translate(fixture("card-submit"));
    expect(inbound).toMatchObject({ kind: "interaction", via: "message", replyToId: "1772442500000" });
  });

  it("an adaptiveCard/action invoke (Action.Execute) is an action call answered by invoke", () => {
    const inbound = translate(fixture("invoke-execute"));
    expect(inbound).toMatchObject({ kind: "interaction", via: "invoke" });
    expect(interactionOf(inbound).input).toEqual({ kind: "action", action: "people.pause", args: {}, people: {} });
  });

  it("installing: conversationUpdate with wesaid added says hello; installationUpdate stores quietly", () => {
    expect(translate(fixture("conversation-update-personal"))).toMatchObject({ kind: "welcome", scope: "personal", interaction: { input: { kind: "command", text: "help" } } });
    expect(translate(fixture("installation-update-personal"))).toMatchObject({ kind: "remember", scope: "personal" });
    const team = translate(fixture("conversation-update-team"));
    expect(team).toMatchObject({ kind: "welcome", scope: "channel", interaction: { place: { kind: "channel", externalId: "19:mental-health-review-team@thread.tacv2" } } });
  });

  it("ignores what it does not use, and activities that do not say who or where", () => {
    const removed = { ...fixture("installation-update-personal"), action: "remove" };
    expect(translate(removed).kind).toBe("ignore");
    const someoneElseJoined = { ...fixture("conversation-update-team"), membersAdded: [{ id: "29:someone" }] };
    expect(translate(someoneElseJoined).kind).toBe("ignore");
    expect(translate({ ...fixture("personal-message"), type: "typing" }).kind).toBe("ignore");
    expect(translate({ ...fixture("personal-message"), from: undefined }).kind).toBe("ignore");
    expect(translate({ ...fixture("invoke-execute"), name: "task/fetch" })).toMatchObject({ kind: "ignore", invoke: true });
    expect(translate({ ...fixture("invoke-execute"), value: { action: { type: "Action.Execute" } } }).kind).toBe("ignore");
  });

  it("an empty message or a submit wesaid did not make is not an error", () => {
    const empty = { ...fixture("personal-message"), text: "" };
    expect(interactionOf(translate(empty)).input).toEqual({ kind: "command", text: "help", mentions: [] });
    const foreign = { ...fixture("card-submit"), value: { hello: "world" } };
    expect(interactionOf(translate(foreign)).input).toEqual({ kind: "command", text: "help", mentions: [] });
  });

  it("gives the same event id to the same activity delivered twice, and a different one to another", () => {
    const a = fixture("personal-message");
    expect(eventIdOf(a)).toBe(eventIdOf(fixture("personal-message")));
    expect(eventIdOf({ ...a, id: "other" })).not.toBe(eventIdOf(a));
  });

  it("a group chat is a place like a channel", () => {
    const interaction = interactionOf(translate(fixture("group-chat-message")));
    expect(interaction.place).toMatchObject({ kind: "channel", externalId: "19:group-chat-id@thread.v2" });
    expect(interaction.input).toEqual({ kind: "command", text: "help", mentions: [] });
  });

  it("a thread reply belongs to its channel", () => {
    expect(baseConversationId(`${CHANNEL};messageid=1772442300000`)).toBe(CHANNEL);
  });
});
