import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latest, startPlayground, textOfEntry, type PlaygroundClient } from "./playground.ts";

/** Member checking in the playground, through its HTTP API: sent, answered, reported. */

let p: PlaygroundClient;
beforeAll(async () => {
  p = await startPlayground();
}, 120_000);
afterAll(() => p?.stop());

describe("member checking in the playground", () => {
  it("the evaluator sends a summary, the expert answers it in their own feed, and the evaluator sees the answers by role", async () => {
    expect((await p.post("/playground/demo", {})).status).toBe(200);
    await p.say("evaluator", "check");
    const form = latest(await p.view("evaluator"), "Check with people");
    expect((await p.submit("evaluator", form, "membercheck-new", { title: "Meeting times", summary: "Evening meetings suit carers better." })).status).toBe(200);
    const preview = latest(await p.view("evaluator"), "Preview: Meeting times");
    expect((await p.press("evaluator", preview, "Send it")).status).toBe(200);

    const check = latest(await p.view("expert"), "Did we get this right?");
    expect(textOfEntry(check)).toContain("Evening meetings suit carers better.");
    expect((await p.submit("expert", check, "membercheck-answer", { verdict: "partly", comment: "Evenings are hard for me too." })).status).toBe(200);
    expect(textOfEntry(latest(await p.view("expert"), "Your answer is saved"))).toContain("Partly");
    expect(await p.app.database.prisma.memberCheckResponse.findFirstOrThrow()).toMatchObject({ verdict: "partly", role: "expert_by_experience" });

    await p.say("evaluator", "check answers");
    const pick = latest(await p.view("evaluator"), "Which check?");
    await p.press("evaluator", pick, /Meeting times/);
    const report = textOfEntry(latest(await p.view("evaluator"), "Answers to: Meeting times"));
    expect(report).toMatch(/No reply: \d+|no figures are shown/);
    const names = (await p.app.database.prisma.person.findMany({ select: { displayName: true } })).map((x) => x.displayName).filter((n) => n.length > 3);
    for (const name of names) expect(report).not.toContain(name);
  });
});
