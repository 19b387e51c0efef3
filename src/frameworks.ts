/**
 * The co-production frameworks the programmes and their evaluators use, as
 * data: prompts, digests and exports can tag or group things by them, and
 * their plain-English descriptions can be shown to people as they are.
 * Sources (see shared/seeds): 000 Gloucestershire cultural commissioning
 * evaluation, 001 Co:Create evaluation, 002 NHS England co-production model,
 * 003 NDTi East of England evaluation.
 */

export type FrameworkEntry = { key: string; name: string; description: string };

export type Framework<E extends FrameworkEntry = FrameworkEntry> = {
  key: string;
  name: string;
  source: string;
  description: string;
  entries: readonly E[];
};

export type Approach = "doing_to" | "doing_for" | "doing_with";

export const APPROACHES: Record<Approach, { name: string; description: string }> = {
  doing_to: { name: "Doing to", description: "Decisions are made for people without involving them or asking for their views." },
  doing_for: { name: "Doing for", description: "People are asked for their views and involved, but others make the decisions." },
  doing_with: { name: "Doing with", description: "People work together as equals, giving and taking, and decide together." },
};

export type LadderRung = FrameworkEntry & { approach: Approach };

/** From the bottom rung to the top. */
export const LADDER_OF_PARTICIPATION: Framework<LadderRung> = {
  key: "ladder",
  name: "Ladder of participation",
  source: "Co:Create evaluation (001), figure 2",
  description: "How much say people have, from being told what will happen to deciding together.",
  entries: [
    { key: "educating", name: "Educating", approach: "doing_to", description: "Teaching people about a decision that has already been made." },
    { key: "informing", name: "Informing", approach: "doing_to", description: "Telling people what is happening, without asking what they think." },
    { key: "consultation", name: "Consultation", approach: "doing_for", description: "Asking people what they think, then others decide." },
    { key: "engagement", name: "Engagement", approach: "doing_for", description: "Involving people and their views more fully, but others still decide." },
    { key: "co_design", name: "Co-design", approach: "doing_with", description: "People who use services and staff design something together." },
    { key: "co_production", name: "Co-production", approach: "doing_with", description: "Everyone works as equal partners, shares power and decides together." },
  ],
};

export const DOUBLE_DIAMOND: Framework = {
  key: "double_diamond",
  name: "Double Diamond",
  source: "Co:Create evaluation (001), from the Design Council",
  description: "Four stages of design: first open up and narrow down the problem, then open up and narrow down the answer.",
  entries: [
    { key: "discover", name: "Discover", description: "Look at the issue in many different ways to learn what is really going on." },
    { key: "define", name: "Define", description: "Agree what matters most and which problem to work on first." },
    { key: "develop", name: "Develop", description: "Try out different answers, test them and improve them." },
    { key: "deliver", name: "Deliver", description: "Put the answer that works into practice." },
  ],
};

export const COMMISSIONING_CYCLE: Framework = {
  key: "commissioning",
  name: "Four parts of commissioning",
  source: "Co:Create evaluation (001), figure 3, from Think Local Act Personal",
  description: "The four stages where commissioners can work with people.",
  entries: [
    { key: "analyse", name: "Analyse", description: "Find out what people need and what services there are now." },
    { key: "plan", name: "Plan", description: "Check with people which services are needed and make a plan." },
    { key: "do", name: "Do", description: "Share what was learned with the people who provide services, and buy the services." },
    { key: "review", name: "Review", description: "Check how services are going, with the people who use them." },
  ],
};

export const SCIE_PRINCIPLES: Framework = {
  key: "scie",
  name: "SCIE principles of co-production",
  source: "NDTi evaluation (003), from the Social Care Institute for Excellence",
  description: "Four ideas that good co-production is built on.",
  entries: [
    { key: "equality", name: "Equality", description: "No person or group is more important than another. Everyone has something to bring." },
    { key: "diversity", name: "Diversity", description: "Make a real effort to include many different kinds of people." },
    { key: "accessibility", name: "Accessibility", description: "Everyone can take part fully, in the way that suits them best." },
    { key: "reciprocity", name: "Reciprocity", description: "People get something back for what they put in, and feel needed and valued." },
  ],
};

export const NHS_ENGLAND_VALUES: Framework = {
  key: "nhse_values",
  name: "NHS England values for co-production",
  source: "NHS England co-production model (002)",
  description: "The values and behaviours that co-production needs.",
  entries: [
    { key: "ownership", name: "Ownership", description: "Everyone understands, supports and owns co-production." },
    { key: "openness_and_honesty", name: "Openness and honesty", description: "People share what they know, including what is hard to hear." },
    { key: "sharing_power", name: "Sharing power", description: "Decisions are shared with the people who use services." },
    { key: "plain_english", name: "Plain English", description: "Everything is said clearly, without jargon." },
    { key: "valued_and_respected", name: "People valued and respected", description: "Everyone's time and experience is valued and treated with respect." },
  ],
};

export const GOLD_STANDARD: Framework = {
  key: "gold_standard",
  name: "Gold Standard co-production",
  source: "Co:Create evaluation (001)",
  description: "Eight things to aim for, to check how good co-production is.",
  entries: [
    { key: "holistic", name: "Holistic", description: "People work together at every stage: planning, doing, checking and running things." },
    { key: "resourced", name: "Resourced", description: "There is enough time and money to work together properly." },
    { key: "transparent", name: "Transparent", description: "Everyone knows why they are involved, what the aims and limits are, and what is expected." },
    { key: "inclusive", name: "Inclusive", description: "Many different people take part, and different views are heard." },
    { key: "iterative", name: "Iterative", description: "People give and get feedback again and again, and build on what came before." },
    { key: "positive", name: "Positive", description: "Taking part feels good and worth the time, and people feel heard." },
    { key: "equal", name: "Equal", description: "Everyone and what they bring is valued the same, and power is shared." },
    { key: "sustainable", name: "Sustainable", description: "Working together makes a real change that lasts." },
  ],
};

export const GLOUCESTERSHIRE_THEMES: Framework = {
  key: "gloucestershire",
  name: "Themes of the Gloucestershire evaluation",
  source: "Gloucestershire cultural commissioning evaluation (000)",
  description: "Five themes the evaluators found in what people said.",
  entries: [
    { key: "outcomes", name: "Outcomes", description: "What came out of taking part, for people and for services." },
    { key: "learning_from_peers", name: "Learning from peers", description: "What people learned from each other and from others in the projects." },
    { key: "learning_from_management", name: "Learning from management and delivery", description: "What people learned from running and delivering the projects." },
    { key: "perceptions_of_coproduction", name: "Perceptions of co-production", description: "How people understood co-production and what they thought of it." },
    { key: "cultural_and_political_change", name: "Cultural and political change", description: "How ways of working and decision making changed." },
  ],
};

export const COCREATE_FACTORS: Framework = {
  key: "cocreate_factors",
  name: "Things that help or hinder co-production",
  source: "Co:Create evaluation (001)",
  description: "Six local factors that make co-production easier or harder.",
  entries: [
    { key: "history", name: "History", description: "How organisations and the people they serve have worked together before." },
    { key: "leadership", name: "Leadership", description: "Whether leaders give permission and support to try co-production." },
    { key: "organisational_structure", name: "Organisational structure", description: "How rules, systems and timescales fit with working together." },
    { key: "financing_and_resourcing", name: "Financing and resourcing", description: "Whether there is money, time and support for people to take part." },
    { key: "attitudes_to_participation", name: "Attitudes toward citizen participation", description: "How open organisations are to the public having a real say." },
    { key: "collaboration", name: "Collaboration", description: "How well people work together, share what they know and use each other's ideas." },
  ],
};

export const FRAMEWORKS: readonly Framework[] = [
  LADDER_OF_PARTICIPATION,
  DOUBLE_DIAMOND,
  COMMISSIONING_CYCLE,
  SCIE_PRINCIPLES,
  NHS_ENGLAND_VALUES,
  GOLD_STANDARD,
  GLOUCESTERSHIRE_THEMES,
  COCREATE_FACTORS,
];

export function frameworkByKey(key: string): Framework | undefined {
  return FRAMEWORKS.find((f) => f.key === key);
}
