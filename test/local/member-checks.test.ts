import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/messages/model.ts";
import { latest, startPlayground, textOfEntry, type PlaygroundClient } from "./playground.ts";

/**
 * Member checking in the playground, through its HTTP API: sent, answered, reported (a comment coded
 * from the report's Code button), and in the digest with its code;
 * and the evaluator's answers view (no names) with a Code button that codes an answer.
 */

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

    // The Code button under the expert's words opens the coding loop's choice of codes.
    expect(report).toContain('"Evenings are hard for me too."');
    await p.press("evaluator", latest(await p.view("evaluator"), "Answers to: Meeting times"), "Code");
    const picker = latest(await p.view("evaluator"), "Codes for this check answer");
    expect(textOfEntry(picker)).toContain('"Evenings are hard for me too."');
    const coding = (picker.message as Message).blocks.find((b) => b.kind === "form" && b.id === "coding");
    const choice = coding && coding.kind === "form" ? coding.inputs[0] : undefined;
    if (!choice || choice.kind !== "multi") throw new Error("no choice of codes");
    expect((await p.submit("evaluator", picker, "coding", { codes: [choice.options.find((o) => o.label === "SCIE principles: Equality")!.value] })).status).toBe(200);
    expect(textOfEntry(latest(await p.view("evaluator"), "Saved. This check answer has"))).toContain("Saved. This check answer has 1 code.");
    expect(await p.app.database.prisma.codeAssignment.count({ where: { kind: "check" } })).toBe(1);
  });

  it("the digest's 'this week so far' shows the member check's figures", async () => {
    // "So far" counts what happened before now: an hour on from the answer.
    expect((await p.skip("hour")).status).toBe(200);
    await p.say("evaluator", "digest this week");
    const digest = textOfEntry(latest(await p.view("evaluator"), "Checking with people"));
    const check = await p.app.database.prisma.memberCheck.findFirstOrThrow({ where: { title: "Meeting times" } });
    // Those asked are those it reached (its messages the outbox sent); one said partly, so everyone else has not replied yet.
    const asked = await p.app.database.prisma.outboxMessage.count({ where: { key: { startsWith: `membercheck:${check.id}:` }, status: "sent" } });
    expect(digest).toMatch(new RegExp(`"Meeting times" \\(sent [^)]*, still open\\): (${asked} people asked\\. Did we get this right\\? yes 0, partly 1, no 0, no reply ${asked - 1}|fewer than 5 people were asked)`));
    expect(digest).toMatch(/SCIE principles: Equality: given (to what fewer than 5 people said|1 time)/);
  });

  it("the evaluator opens the answers view, sees no names, and codes an answer from it", async () => {
    await p.say("evaluator", "answers");
    let entry = latest(await p.view("evaluator"), /Which answers do you want to see\?|Answers to "/);
    if (textOfEntry(entry).includes("Which answers")) {
      await p.press("evaluator", entry, /./);
      entry = latest(await p.view("evaluator"), 'Answers to "');
    }
    const view = textOfEntry(entry);
    const names = (await p.app.database.prisma.person.findMany({ select: { displayName: true } })).map((x) => x.displayName).filter((n) => n.length > 3);
    for (const name of names) expect(view).not.toContain(name);
    expect(view).toMatch(/p-[0-9a-f]{16}, (Someone|Expert by experience|Professional|Commissioner|Facilitator): "/);
    expect(view).not.toContain('Make this a "you said" item');

    await p.press("evaluator", entry, "Code");
    const picker = latest(await p.view("evaluator"), "Codes for this answer");
    const form = (picker.message as Message).blocks.find((b) => b.kind === "form" && b.id === "coding");
    const input = form && form.kind === "form" ? form.inputs[0] : undefined;
    if (!input || input.kind !== "multi") throw new Error("no choice of codes");
    const before = await p.app.database.prisma.codeAssignment.count();
    expect((await p.submit("evaluator", picker, "coding", { codes: [input.options.find((o) => o.label === "SCIE principles: Equality")!.value] })).status).toBe(200);
    expect(textOfEntry(latest(await p.view("evaluator"), "Saved. This answer has"))).toMatch(/Saved\. This answer has \d+ codes?\./);
    expect(await p.app.database.prisma.codeAssignment.count()).toBe(before + 1);
  });
});
