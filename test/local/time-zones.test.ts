import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latest, startPlayground, textOfEntry, type PlaygroundClient } from "./playground.ts";

// The playground page sends the browser's zone with everything a persona does, as Slack (users.info tz) and Teams
// (activity.localTimezone) send theirs: a member's zone follows it, and their preferences say where it came from.
let p: PlaygroundClient;
beforeAll(async () => {
  p = await startPlayground();
  expect((await p.post("/playground/demo", {})).status).toBe(200);
}, 120_000);
afterAll(() => p?.stop());

async function prefsFrom(zone: string | undefined) {
  const res = await p.post("/playground/command", { persona: "expert", place: { kind: "direct" }, text: "prefs", ...(zone === undefined ? {} : { timeZone: zone }) });
  await p.app.core.flush();
  expect(res.status).toBe(200);
  return textOfEntry(latest(await p.view("expert"), "Your preferences"));
}

describe("time zones, in the playground", () => {
  it("follows the zone this browser reports, says so in the preferences, and keeps a zone the person chose", async () => {
    expect(await prefsFrom("Asia/Tokyo")).toContain("Asia/Tokyo (from this browser)");

    // A browser somewhere else: the zone follows it.
    const prefs = await prefsFrom("America/New_York");
    expect(prefs).toContain("America/New_York (from this browser)");

    // A zone chosen in the preferences beats the browser's.
    const form = latest(await p.view("expert"), "Your preferences");
    const block = (form.message as { blocks: { kind: string }[] }).blocks.findIndex((b) => b.kind === "form");
    const saved = await p.post("/playground/action", {
      persona: "expert",
      messageId: form.id,
      timeZone: "America/New_York",
      control: { kind: "form", block, values: { timeZone: "Europe/Paris" } },
    });
    expect(saved.status).toBe(200);
    await p.app.core.flush();
    const after = await prefsFrom("Asia/Tokyo");
    expect(after).toContain("Europe/Paris (you chose this)");
    expect(after).not.toContain("Europe/Paris (from");

    // Back from the trip: one press, and the zone is this browser's again.
    const chosen = latest(await p.view("expert"), "Your preferences");
    const blocks = (chosen.message as { blocks: { kind: string; buttons?: { label: string }[] }[] }).blocks;
    const follow = blocks.findIndex((b) => b.kind === "buttons" && b.buttons!.some((x) => x.label === "Use the time zone from this browser (now Asia/Tokyo)"));
    expect(follow).toBeGreaterThanOrEqual(0);
    const back = await p.post("/playground/action", { persona: "expert", messageId: chosen.id, timeZone: "Asia/Tokyo", control: { kind: "button", block: follow, button: 0 } });
    // The page's clock is told the persona's zone with each answer.
    expect(back.body.timeZone).toBe("Asia/Tokyo");
    expect(back.status).toBe(200);
    await p.app.core.flush();
    const view = await p.view("expert");
    expect(textOfEntry(latest(view, "Your time zone now comes from this browser"))).toContain("Asia/Tokyo.");
    expect(textOfEntry(latest(view, "Your preferences"))).toContain("Asia/Tokyo (from this browser)");
    // And it follows the browser again.
    expect(await prefsFrom("America/New_York")).toContain("America/New_York (from this browser)");
  });

  it("ignores a zone it does not know, or none at all, rather than refusing what the person did", async () => {
    const person = await p.app.core.directory.findPerson("local", "persona-professional");
    expect(person).toBeTruthy();
    for (const zone of ["Mars/Olympus_Mons", "x".repeat(500), undefined]) {
      const res = await p.post("/playground/command", { persona: "professional", place: { kind: "direct" }, text: "prefs", ...(zone === undefined ? {} : { timeZone: zone }) });
      expect(res.status).toBe(200);
    }
    await p.app.core.flush();
    const prefs = textOfEntry(latest(await p.view("professional"), "Your preferences"));
    expect(prefs).not.toContain("Mars");
    expect(prefs).not.toContain("from this browser");
  });
});
