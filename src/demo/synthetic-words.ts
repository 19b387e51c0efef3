import type { Role } from "../roles.ts";

/** What the synthetic programme's people are called and say: made up, in the voice of the evaluations in seeds/. */

/** Roles in the proportions of a typical commissioning programme; carers and young people are experts by experience. */
export const ROLE_MIX: readonly { role: Role; share: number; kinds: readonly string[] }[] = [
  { role: "expert_by_experience", share: 0.55, kinds: ["carer", "young person", "parent", "service user", "patient representative"] },
  { role: "professional", share: 0.25, kinds: ["GP", "nurse", "youth worker", "artist", "provider", "voluntary sector worker"] },
  { role: "commissioner", share: 0.1, kinds: ["commissioner", "ICB manager", "council officer"] },
  { role: "facilitator", share: 0.05, kinds: ["facilitator", "coordinator"] },
  { role: "evaluator", share: 0.05, kinds: ["evaluator"] },
];

export const FIRST_NAMES = ["Amira", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Gita", "Harry", "Iqra", "Jack", "Kim", "Leon", "Maya", "Nat", "Owen", "Rosa", "Sunil", "Tess", "Uma", "Zac"];

export const WENT_WELL = [
  "People listened to what I said about waiting times.",
  "The meeting was online, so I could join from home.",
  "We agreed the new leaflet together.",
  "I met other carers and did not feel alone.",
  "The papers came early and were easy to read.",
  "Staff asked us first before deciding.",
];

export const HARD = [
  "I could not get to the meeting because of the bus times.",
  "Some words were hard to follow.",
  "It is hard to find time when I am caring.",
  "I was not sure what happened after I said something.",
  "",
];

export const IDEAS = [
  "Hold some meetings in the evening for people who work.",
  "Pay travel costs on the day, not weeks later.",
  "Put a short summary at the top of every paper.",
  "Run a drop-in at the youth centre.",
  "Ask young people to help choose the new provider.",
  "Send reminders by text as well as by chat.",
  "Have a quiet room at every session.",
  "Explain what happens to our ideas after each meeting.",
];

export const UPDATES_DONE = ["We have changed this. Thank you for the idea.", "This is now in place from next month.", "Done: the new version is on the website."];
export const UPDATES_WORKING = ["We are still working on this with the provider.", "We have asked the finance team and will report back."];

export const TASTER_TITLES = ["Art for wellbeing", "Music and mood", "Walk and talk", "Cooking on a budget", "Creative writing"];
export const PANEL_TITLES = ["Choosing the new drop-in provider", "Reviewing the carers' leaflet", "Planning the winter services"];

export const CHECK_IN = {
  title: "Weekly check-in",
  scale: "How involved did you feel this week?",
  text: "What is one thing that would help you take part?",
  answers: ["Shorter meetings.", "Knowing what happened to my idea.", "More notice of dates.", "A lift to the venue.", "Nothing, it is going well."],
};

export const SPEAK_FREELY = {
  title: "Speak freely (anonymous)",
  scale: "How safe do you feel saying what you think?",
  text: "Is there anything you would not say in the group?",
  answers: ["Sometimes I hold back when managers are there.", "I feel safe.", "I worry it will affect my care.", "No."],
};

/** The NDTi survey's questions (the same words as the ndti_survey template, so the stages pair with the demo's own series). */
export const NDTI = {
  title: "How is co-production going?",
  know: "How much do you know about co-production right now?",
  feel: "How do you feel about co-production right now?",
  well: "What has gone well since we last asked?",
  hard: "What has been hard, or got in the way?",
};

/** More check-in questions, for benchmarks that want many answers per person (Co:Create's Gold Standard, 001). */
export const MORE_CHECK_IN = [
  "Did we think about the whole person, not just one part?",
  "Was there enough time, money and support?",
  "Were we open and honest about decisions?",
  "Could everyone who should be involved take part?",
  "Did it feel good to be involved?",
  "Did everyone's views count the same?",
];
