import { describe, expect, it } from "vitest";
import { plainText, type Message } from "../../src/messages/model.ts";
import { debriefForm, panelList, panelSummary, prepPrompt, type PanelView } from "../../src/panels/catalogue.ts";
import { attendanceList, followUp, offerExpired, tasterText } from "../../src/tasters/catalogue.ts";

/**
 * Titles are written by people ("Interview panel 3 March", "Panel", "NHS youth
 * voice panel"), so a sentence never pastes one after a word that needs it to
 * be a noun phrase ("How did Panel go?", "Who came to Art for wellbeing?").
 * A title starts a line, or follows a colon.
 */

const TITLES = ["Interview panel 3 March", "Panel", "NHS youth voice panel", "Choosing the new drop-in provider", "Art for wellbeing", "Music and memories"];

const view = (title: string): PanelView => ({ id: "panel-1", title, purpose: "Choose who runs the drop-in.", when: "Tuesday 3 March, 10:00", roles: { expert_by_experience: 3 }, hasPrep: true });

function words(m: Message): string[] {
  const buttons = m.blocks.flatMap((b) => (b.kind === "buttons" ? b.buttons.map((x) => x.label) : []));
  return [m.summary, ...plainText(m).split("\n"), ...buttons];
}

function everyMessage(title: string): string[] {
  const messages = [
    prepPrompt(view(title), "What matters most to you in a provider?"),
    debriefForm(view(title), { closes: "Friday 6 March" }),
    panelList({ mine: [{ view: view(title), debriefOpen: true }], organised: [{ id: "panel-1", title, when: "3 March" }], canManage: true }),
    panelSummary({ title, when: "3 March", members: 6, responded: 4, listened: { yes: 3, partly: 1, no: 0 }, quotes: [], notQuoted: 0 }),
    followUp({ title, signupId: "signup-1" }),
    attendanceList({ tasterId: "taster-1", title, when: "3 March", people: [] }),
    offerExpired({ title, tasterId: "taster-1" }),
  ];
  const sentences = [tasterText.booked(title), tasterText.alreadyBooked(title), tasterText.placeCancelled(title), tasterText.leftWaitingList(title)];
  return [...messages.flatMap(words), ...sentences];
}

/** Where a title is pasted after anything but the start of a line or a colon. */
function badlyPlaced(lines: string[], title: string): string[] {
  return lines.filter((line) => {
    for (let at = line.indexOf(title); at >= 0; at = line.indexOf(title, at + 1)) {
      const before = line.slice(0, at);
      if (before.replace(/^[\s[•]+/, "") !== "" && !/:\s$/.test(before)) return true;
    }
    return false;
  });
}

describe("titles people write read naturally in sentences", () => {
  it.each(TITLES)("%s", (title) => {
    const lines = everyMessage(title);
    expect(lines.some((l) => l.includes(title))).toBe(true);
    expect(badlyPlaced(lines, title)).toEqual([]);
  });

  it("asks how it went after the title, whatever the title is", () => {
    expect(debriefForm(view("Interview panel 3 March"), { closes: "Friday" }).summary).toBe("Interview panel 3 March: how did it go?");
    expect(debriefForm(view("Panel"), { closes: "Friday" }).summary).toBe("Panel: how did it go?");
    expect(followUp({ title: "Art for wellbeing", signupId: "s" }).summary).toBe("Art for wellbeing: how was it?");
    expect(tasterText.booked("Music and memories")).toContain("You have a place at this session: Music and memories.");
  });
});
