import { button, buttons, facts, heading, message, note, para, type Block, type Button, type Message } from "../messages/model.ts";
import { nameWithRole, type Role } from "../roles.ts";
import { feedbackText } from "./catalogue.ts";

/** "We said, we did": what the people who share an action read. */

export function coOwnedInvite(p: { title: string; others: { name: string; role: Role }[]; itemNumber?: number; due?: string; actionId: string }): Message {
  return message(
    `You own "${p.title}" together`,
    heading("We said, we will do it together"),
    para(`You are one of the owners of: ${p.title}`),
    facts([
      ["With", p.others.map((o) => nameWithRole(o.name, o.role)).join(", ")],
      ["For idea", p.itemNumber ? `#${p.itemNumber}` : undefined],
      ["Due by", p.due],
    ]),
    buttons(
      button("It is done", "feedback.coown.status", { actionId: p.actionId, status: "done" }, { style: "primary" }),
      button("Drop it", "feedback.coown.status", { actionId: p.actionId, status: "dropped" }, { confirm: "Drop this action? The other owners can still see it." }),
    ),
    note("Any owner can mark it done."),
  );
}

export function coOwnedDoneForRaiser(p: { number: number; itemText: string; title: string }): Message {
  return message(
    `Something was done about your idea #${p.number}`,
    heading(`We said, we did: your idea #${p.number}`),
    para(`You said: "${p.itemText}"`),
    para(`People with lived experience and professionals did this together: ${p.title}`),
  );
}


