import { describe, expect, it } from "vitest";
import { newPanelForm } from "../../src/panels/catalogue.ts";
import { choosesMany, mentionsOf, message, plainText, type Input } from "../../src/messages/model.ts";

// The people picker: one input kind every platform renders with its own directory of people.
describe("the people picker input", () => {
  const form = (inputs: Input[]) =>
    message("Pick", { kind: "form", id: "f", title: "Who?", openLabel: "Choose", submitLabel: "Save", submit: { action: "x.save", args: {} }, inputs });

  it("reads as its label and what it asks for", () => {
    const text = plainText(
      form([
        { kind: "people", id: "members", label: "Who is on the panel?" },
        { kind: "people", id: "lead", label: "Who leads it?", multiple: false, optional: true },
      ]),
    );
    expect(text.split("\n")).toEqual(["Pick", "Who?", "Who is on the panel? [Choose people]", "Who leads it? [Choose a person]", "[Save]"]);
  });

  it("chooses several people unless told otherwise", () => {
    expect(choosesMany({ kind: "people", id: "a", label: "A" })).toBe(true);
    expect(choosesMany({ kind: "people", id: "a", label: "A", multiple: true })).toBe(true);
    expect(choosesMany({ kind: "people", id: "a", label: "A", multiple: false })).toBe(false);
  });

  it("sends the chosen people as mentions separated by spaces", () => {
    expect(mentionsOf(["U1", " U2 ", ""])).toBe("<@U1> <@U2>");
    expect(mentionsOf([])).toBe("");
  });

  it("is how the panel form asks who is on the panel", () => {
    const panelForm = newPanelForm({ programmeId: "p1", timeZone: "Europe/London" }).blocks.find((b) => b.kind === "form");
    expect(panelForm?.kind === "form" && panelForm.inputs.find((i) => i.id === "members")).toEqual({ kind: "people", id: "members", label: "Who is on the panel?", multiple: true });
  });
});
