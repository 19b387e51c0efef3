/**
 * The other side of bench/ack.ts, in a worker thread so that a busy wesaid cannot delay the clock that
 * measures it: a fake Slack (Web API answers `ok`, response_url posts are timed) and an open-loop load
 * generator that posts signed requests at a fixed rate whether or not earlier ones were answered.
 * Plain JavaScript: a worker thread cannot load TypeScript through tsx.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";


const { secret, team } = workerData;
const replies = new Map();

const body = (req) =>
  new Promise((resolve) => {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => resolve(text));
  });

let seq = 0;
const slack = createServer(async (req, res) => {
  await body(req);
  const path = req.url ?? "";
  if (path.startsWith("/response/")) replies.set(path.slice("/response/".length), performance.now());
  const method = path.replace(/^\/api\//, "").split("?")[0];
  const answer =
    method === "auth.test"
      ? { ok: true, team_id: team, user_id: "U0WESAIDBOT", bot_id: "B0WESAIDBOT", url: "https://example.slack.com/" }
      : { ok: true, ts: `1772442000.${String(++seq).padStart(6, "0")}`, channel: { id: "D0BENCH" }, message: {} };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(answer));
});
await new Promise((resolve) => slack.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${slack.address().port}`;

function signed(raw) {
  const ts = Math.floor(Date.now() / 1000);
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": `v0=${createHmac("sha256", secret).update(`v0:${ts}:${raw}`).digest("hex")}`,
  };
}

/** Half slash commands (an idea typed in the channel), half button presses (the list of taster sessions). */
function requestBody(load, i) {
  const id = `${load.run}-${i}`;
  const user = load.users[i % load.users.length];
  const responseUrl = `${base}/response/${id}`;
  if (i % 2 === 0) {
    const form = new URLSearchParams({
      token: "x",
      team_id: team,
      team_domain: "bench",
      channel_id: load.channel,
      channel_name: "co-production",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/wesaid",
      text: `suggest Idea number ${i} from the benchmark`,
      api_app_id: "A0WESAID",
      response_url: responseUrl,
      trigger_id: `1772442600.${i}.abc`,
    });
    return { raw: form.toString(), id };
  }
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: team },
    api_app_id: "A0WESAID",
    token: "x",
    container: { type: "message", message_ts: "1772442001.000100", channel_id: load.channel, is_ephemeral: true },
    trigger_id: `1772442400.${i}.abc`,
    team: { id: team, domain: "bench" },
    channel: { id: load.channel, name: "co-production" },
    state: { values: {} },
    response_url: responseUrl,
    actions: [{ action_id: "wesaid.call.0", block_id: "b1", text: { type: "plain_text", text: "Sessions" }, value: 'j{"a":"taster.list","g":{}}', type: "button", action_ts: "1772442400.567890" }],
  };
  return { raw: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), id };
}

async function run(load) {
  const total = Math.round(load.rate * load.seconds);
  const start = performance.now();
  const ack = [];
  const acked = new Map();
  let failed = 0;
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / load.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { raw, id } = requestBody(load, i);
    const sentAt = performance.now();
    pending.push(
      fetch(load.url, { method: "POST", headers: signed(raw), body: raw })
        .then(async (response) => {
          const text = await response.text();
          const at = performance.now();
          if (response.status !== 200) return void failed++;
          ack.push(at - sentAt);
          acked.set(id, { at, inline: text.trim().length > 0 });
        })
        .catch(() => void failed++),
    );
  }
  await Promise.all(pending);
  // Replies that go through response_url may come a little after the last acknowledgement.
  const graceUntil = performance.now() + 10_000;
  const waiting = () => [...acked.entries()].filter(([id, a]) => !a.inline && !replies.has(id)).length;
  while (waiting() > 0 && performance.now() < graceUntil) await new Promise((resolve) => setTimeout(resolve, 100));
  const reply = [];
  let noReply = 0;
  for (const [id, a] of acked) {
    if (a.inline) reply.push(0);
    else if (replies.has(id)) reply.push(Math.max(0, replies.get(id) - a.at));
    else noReply++;
  }
  return { sent: total, ack, failed, reply, noReply };
}

parentPort.postMessage({ kind: "ready", apiUrl: `${base}/api/` });
parentPort.on("message", async (message) => {
  if (message.kind === "stop") {
    slack.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage({ kind: "result", result: await run(message.load) });
});
