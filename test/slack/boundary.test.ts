import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { originOf, Workspaces } from "../../adapters/slack/boundary.ts";
import { slackText } from "../../src/messages/catalogue/platforms.ts";
import { everyRowAsText } from "../support/databases.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { fixture, fixtureText, SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";

// Only people of the workspace wesaid is installed in (and of the teams named in
// SLACK_ALLOWED_TEAM_IDS) get in. Everyone else is answered politely, through the
// real Bolt app and its signed HTTP receiver, and nothing is stored about them.
let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start({ env: { SLACK_ALLOWED_TEAM_IDS: "T0PARTNER, E0ALLOWED" } });
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const fay: SlackUser = { id: "U0FAY", name: "Fay" };
const channel = { channel: "C0COPROD", name: "co-production" };
let userCounter = 0;
/** A new Slack user each time (wesaid remembers what users.info said for an hour). */
const someone = (name: string): SlackUser => ({ id: `U0${name.toUpperCase()}${++userCounter}`, name });

async function programme() {
  await world.slash(fay, "setup Mental health review", channel);
  const local = someone("Jo");
  const join = await world.slash(local, "join", channel);
  return { joinChoice: join.ephemeral! };
}

async function rows(): Promise<string[]> {
  return (await everyRowAsText(world.db)).map((r) => `${r.table}: ${r.row}`).sort();
}

/** `/wesaid <text>` in #co-production, as Slack would send it from another team. */
async function slashFrom(user: SlackUser, text: string, ids: { team: string; enterprise?: string }) {
  world.fake.users.set(user.id, user.name);
  const form = new URLSearchParams(fixtureText("slash_command.txt").trim());
  form.set("team_id", ids.team);
  form.set("enterprise_id", ids.enterprise ?? "");
  form.set("user_id", user.id);
  form.set("channel_id", channel.channel);
  form.set("channel_name", channel.name);
  form.set("text", text);
  form.set("response_url", world.fake.responseUrlFor({ user: user.id, channel: channel.channel }));
  const response = await world.post(form.toString(), "form");
  await world.flush();
  return response;
}

/** Presses a button from a message shown to someone else, as a person of `userTeam` in our workspace (a Slack Connect guest). */
async function pressAsGuest(user: SlackUser, blocks: { elements?: { value?: string; action_id?: string; text?: unknown }[] }[], userTeam: string) {
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.value)!;
  const payload = fixture("block_actions.json");
  payload.user = { id: user.id, username: user.name.toLowerCase(), name: user.name.toLowerCase(), team_id: userTeam };
  payload.actions = [{ action_id: button.action_id, block_id: "b1", text: button.text, value: button.value, type: "button", action_ts: "1772442400.567890" }];
  payload.container = { type: "message", message_ts: "1.000000", channel_id: channel.channel, is_ephemeral: true };
  payload.channel = { id: channel.channel, name: channel.name };
  payload.response_url = world.fake.responseUrlFor({ user: user.id, channel: channel.channel });
  delete payload.message;
  const response = await world.postPayload(payload);
  await world.flush();
  return response;
}

describe("requests from outside the workspace", () => {
  it("a slash command from another workspace gets a polite refusal, and no row anywhere changes", async () => {
    await programme();
    const before = await rows();
    const outsider = someone("Alex");
    const response = await slashFrom(outsider, "join", { team: "T0ELSEWHERE" });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ response_type: "ephemeral", text: slackText.otherWorkspace });
    expect(await rows()).toEqual(before);
    expect(await world.db.platformIdentity.count({ where: { externalId: outsider.id } })).toBe(0);
  });

  it("a Slack Connect guest pressing a join button in our channel is refused through response_url; nobody becomes a member", async () => {
    const { joinChoice } = await programme();
    const before = await rows();
    const guest = someone("Guest");
    const response = await pressAsGuest(guest, joinChoice.blocks as never, "T0GUESTORG");
    expect(response.status).toBe(200);
    expect(world.fake.ephemeralsFor(guest.id).map((e) => e.text)).toEqual([slackText.otherWorkspace]);
    expect(await rows()).toEqual(before);
  });

  it("a message to wesaid's DM from another workspace's person is answered with the refusal and stores nothing", async () => {
    await programme();
    const before = await rows();
    const outsider = someone("Kim");
    world.fake.users.set(outsider.id, outsider.name);
    const body = fixture("event_message_im.json");
    body.event_id = "Ev0OUTSIDER1";
    Object.assign(body.event, { user: outsider.id, text: "suggest open the doors", channel: FakeSlack.dmChannelOf(outsider.id), team: "T0ELSEWHERE", user_team: "T0ELSEWHERE" });
    const response = await world.post(JSON.stringify(body), "json");
    await world.flush();
    expect(response.status).toBe(200);
    expect(world.fake.dmOf(outsider.id).map((m) => textOfVisible(m))).toEqual([slackText.otherWorkspace]);
    expect(await rows()).toEqual(before);
  });

  it("someone from an enterprise organisation wesaid does not know is refused, even naming our team", async () => {
    await programme();
    const before = await rows();
    const response = await slashFrom(someone("Lee"), "join", { team: "T0WESAID", enterprise: "E0UNKNOWN" });
    expect(response.json?.text).toBe(slackText.otherWorkspace);
    expect(await rows()).toEqual(before);
  });

  it("a person Slack marks as a stranger (users.info) is refused even when the payload names our team", async () => {
    await programme();
    const before = await rows();
    const stranger = someone("Rae");
    world.fake.userOrigins.set(stranger.id, { team_id: "T0OTHERORG", is_stranger: true });
    const response = await slashFrom(stranger, "join", { team: "T0WESAID" });
    expect(response.json?.text).toBe(slackText.otherWorkspace);
    expect(await rows()).toEqual(before);
  });

  it("a modal sent by a guest is closed with the refusal", async () => {
    const payload = fixture("view_submission.json");
    const guest = someone("Ola");
    payload.user = { id: guest.id, username: "ola", name: "ola", team_id: "T0GUESTORG" };
    const before = await rows();
    const response = await world.postPayload(payload);
    await world.flush();
    expect(response.json).toMatchObject({ response_action: "update" });
    expect(JSON.stringify(response.json)).toContain(slackText.otherWorkspace);
    expect(await rows()).toEqual(before);
  });

  it("people of the installation's own team, of a team in SLACK_ALLOWED_TEAM_IDS and of an allowed organisation get in", async () => {
    await programme();
    const partner = someone("Pat");
    const answer = await slashFrom(partner, "join", { team: "T0PARTNER" });
    expect(answer.json?.text).not.toBe(slackText.otherWorkspace);
    expect(textOfVisible(world.fake.ephemeralsFor(partner.id)[0] ?? world.fake.addEphemeral(partner.id, channel.channel, answer.json!))).toContain("Which of these best describes you");
    const gridUser = someone("Gail");
    const grid = await slashFrom(gridUser, "help", { team: "T0SOMEGRIDTEAM", enterprise: "E0ALLOWED" });
    expect(grid.json?.text).not.toBe(slackText.otherWorkspace);
    const local = await slashFrom(someone("Lou"), "help", { team: "T0WESAID" });
    expect(local.json?.text).not.toBe(slackText.otherWorkspace);
  });
});

describe("originOf and Workspaces (pure)", () => {
  const ours = new Workspaces(["T0WESAID", "E0ORG"]);

  it("reads the workspace and the person's own team from every kind of payload", () => {
    expect(originOf({ type: "event_callback", team_id: "T1", event: { type: "message", user: "U1", team: "T2", user_team: "T3" } })).toEqual({ teams: ["T1", "T2", "T3"], enterprises: [], userId: "U1" });
    expect(originOf({ command: "/wesaid", team_id: "T1", enterprise_id: "E1", user_id: "U1" })).toEqual({ teams: ["T1"], enterprises: ["E1"], userId: "U1" });
    expect(originOf({ type: "block_actions", team: { id: "T1" }, user: { id: "U1", team_id: "T9" }, enterprise: null })).toEqual({ teams: ["T1", "T9"], enterprises: [], userId: "U1" });
  });

  it("allows known teams and teams of a known organisation; refuses unknown ones, unknown organisations and payloads naming no team", () => {
    expect(ours.allows({ teams: ["T0WESAID"], enterprises: [] })).toBe(true);
    expect(ours.allows({ teams: ["T0ANY"], enterprises: ["E0ORG"] })).toBe(true);
    expect(ours.allows({ teams: ["T0WESAID", "T0GUEST"], enterprises: [] })).toBe(false);
    expect(ours.allows({ teams: ["T0WESAID"], enterprises: ["E0OTHER"] })).toBe(false);
    expect(ours.allows({ teams: [], enterprises: [] })).toBe(false);
  });
});
