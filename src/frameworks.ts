/**
 * The frameworks the source evaluations use (../shared/DOMAIN.md), kept as data:
 * each item has a plain-English meaning that the glossary shows, and an id that
 * theme codes and exports can refer to. Change a line here to change a framework.
 */
export type FrameworkItem = { id: string; name: string; meaning: string };
export type Framework = { id: string; name: string; source: string; about: string; items: FrameworkItem[] };

export const FRAMEWORKS: readonly Framework[] = [
  {
    id: "ladder",
    name: "Ladder of participation",
    source: "Co:Create evaluation",
    about: "A ladder that shows how much say people have, from being told things to sharing the decisions.",
    items: [
      { id: "ladder.educating", name: "Educating", meaning: "People are taught about a service. They have no say in it. This is doing to people." },
      { id: "ladder.informing", name: "Informing", meaning: "People are told what has been decided. This is doing to people." },
      { id: "ladder.consultation", name: "Consultation", meaning: "People are asked what they think, but others decide. This is doing for people." },
      { id: "ladder.engagement", name: "Engagement", meaning: "People are asked often and listened to, but others still decide. This is doing for people." },
      { id: "ladder.co_design", name: "Co-design", meaning: "People help to plan a service with staff. This is doing with people." },
      { id: "ladder.co_production", name: "Co-production", meaning: "People and staff share the power and the work, from start to end. This is doing with people." },
    ],
  },
  {
    id: "double_diamond",
    name: "Double Diamond",
    source: "Co:Create evaluation",
    about: "Four steps for making something new, first opening up and then narrowing down.",
    items: [
      { id: "double_diamond.discover", name: "Discover", meaning: "Find out what is going on and what people need." },
      { id: "double_diamond.define", name: "Define", meaning: "Agree the main problem to work on." },
      { id: "double_diamond.develop", name: "Develop", meaning: "Come up with ideas and try them out." },
      { id: "double_diamond.deliver", name: "Deliver", meaning: "Make the best idea happen, and check that it works." },
    ],
  },
  {
    id: "commissioning_cycle",
    name: "Four parts of commissioning",
    source: "Co:Create evaluation",
    about: "The steps that the people who plan and pay for services go round again and again.",
    items: [
      { id: "commissioning_cycle.analyse", name: "Analyse", meaning: "Find out what people need and what there is now." },
      { id: "commissioning_cycle.plan", name: "Plan", meaning: "Decide what services to buy or change." },
      { id: "commissioning_cycle.do", name: "Do", meaning: "Buy the service or make the change." },
      { id: "commissioning_cycle.review", name: "Review", meaning: "Check how it went and what to change next time." },
    ],
  },
  {
    id: "scie",
    name: "SCIE principles",
    source: "NDTi evaluation",
    about: "Four ideas that good co-production keeps to, from the Social Care Institute for Excellence.",
    items: [
      { id: "scie.equality", name: "Equality", meaning: "Everyone's view counts the same, whatever their job or background." },
      { id: "scie.diversity", name: "Diversity", meaning: "Many kinds of people take part, not only the ones who are easy to reach." },
      { id: "scie.accessibility", name: "Accessibility", meaning: "Everyone can take part: the place, the times and the words suit them." },
      { id: "scie.reciprocity", name: "Reciprocity", meaning: "People get something back for what they give, such as thanks, pay or new skills." },
    ],
  },
  {
    id: "nhse_values",
    name: "NHS England values for co-production",
    source: "NCCH Huddles",
    about: "What NHS England says working together should feel like.",
    items: [
      { id: "nhse_values.ownership", name: "Ownership", meaning: "Everyone feels the work is theirs too." },
      { id: "nhse_values.openness", name: "Openness and honesty", meaning: "People say what is really going on, even when it is hard." },
      { id: "nhse_values.sharing_power", name: "Sharing power", meaning: "Decisions are made together, not by staff alone." },
      { id: "nhse_values.plain_english", name: "Plain English", meaning: "Words that everyone can understand, with no jargon." },
      { id: "nhse_values.valued", name: "People valued and respected", meaning: "What each person gives is seen and thanked." },
    ],
  },
  {
    id: "gloucestershire_themes",
    name: "Gloucestershire evaluation themes",
    source: "Gloucestershire cultural commissioning paper",
    about: "The main things that evaluation found, used to sort what people said.",
    items: [
      { id: "gloucestershire_themes.outcomes", name: "Outcomes", meaning: "What changed for people because of the work." },
      { id: "gloucestershire_themes.peers", name: "Learning from peers", meaning: "What people learned from others like them." },
      { id: "gloucestershire_themes.management", name: "Learning from management and delivery", meaning: "What people learned from how the work was run." },
      { id: "gloucestershire_themes.perceptions", name: "Perceptions of co-production", meaning: "What people think working together means, and how they feel about it." },
      { id: "gloucestershire_themes.change", name: "Cultural and political change", meaning: "Changes in how groups think and decide." },
    ],
  },
  {
    id: "cocreate_factors",
    name: "Co:Create factors",
    source: "Co:Create evaluation",
    about: "Things that make working together easier or harder.",
    items: [
      { id: "cocreate_factors.history", name: "History", meaning: "What has happened between the groups before." },
      { id: "cocreate_factors.leadership", name: "Leadership", meaning: "Whether the people in charge back the work." },
      { id: "cocreate_factors.structure", name: "Organisational structure", meaning: "How the groups are set up, and who can decide what." },
      { id: "cocreate_factors.resources", name: "Financing and resourcing", meaning: "Whether there is enough money, time and staff." },
      { id: "cocreate_factors.attitudes", name: "Attitudes toward citizen participation", meaning: "What staff think about the public taking part." },
      { id: "cocreate_factors.collaboration", name: "Collaboration", meaning: "How well the groups work together." },
    ],
  },
];

export function frameworkItem(id: string): FrameworkItem | undefined {
  for (const framework of FRAMEWORKS) for (const item of framework.items) if (item.id === id) return item;
  return undefined;
}
