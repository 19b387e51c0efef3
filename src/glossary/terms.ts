/**
 * Words people meet in commissioning, in plain English. The evaluations found
 * people did not know what they meant ("When the CCG talked about outputs, we
 * didn't always know what they meant", NDTi). Data: add a line to add a word.
 * The meanings are held to the catalogue's plain-English rules by
 * test/core/glossary/glossary.test.ts.
 */
export type Term = { term: string; also?: string[]; meaning: string };

export const TERMS: readonly Term[] = [
  { term: "Outputs", also: ["output"], meaning: "The things a project makes or does, such as 10 workshops or 200 leaflets. They count what was done, not what changed." },
  { term: "Outcomes", also: ["outcome"], meaning: "What changes for people because of the work. For example, people feel less alone." },
  { term: "Commissioning", also: ["commission"], meaning: "Working out what health and care services an area needs, then paying for them and checking they work." },
  { term: "Commissioner", meaning: "A person whose job is to plan and pay for health or care services for an area." },
  { term: "CCG", also: ["clinical commissioning group"], meaning: "Clinical Commissioning Group. A local NHS body that planned and paid for health services. ICBs took over from them in 2022." },
  { term: "ICB", also: ["integrated care board"], meaning: "Integrated Care Board. The local NHS body that plans and pays for health services in an area." },
  { term: "ICS", also: ["integrated care system"], meaning: "Integrated Care System. The NHS, councils and local groups in an area, working together on health and care." },
  { term: "Co-production", also: ["coproduction", "co-produce", "co-producing"], meaning: "People who use services and staff work as equals, sharing the power and the work from start to end." },
  { term: "Co-design", also: ["codesign"], meaning: "People who use services help staff to plan a service. Staff may still make the final choice." },
  { term: "Expert by experience", also: ["experts by experience", "lived experience"], meaning: "Someone who knows a service from using it, or from caring for someone who does." },
  { term: "Service user", also: ["service users"], meaning: "A person who uses a health or care service." },
  { term: "Carer", also: ["carers", "unpaid carer"], meaning: "Someone who looks after a family member or friend, without being paid for it." },
  { term: "Stakeholder", also: ["stakeholders"], meaning: "Anyone who has a part in the work or is touched by it: patients, carers, staff and groups." },
  { term: "Provider", also: ["providers"], meaning: "A group that runs a service, such as a hospital, a GP surgery or a charity." },
  { term: "Voluntary sector", also: ["vcse", "third sector"], meaning: "Charities and community groups. Many people in them give their time for free." },
  { term: "Procurement", also: ["tender", "tendering"], meaning: "The formal way of choosing who will run a service and agreeing the price." },
  { term: "Pathway", also: ["care pathway"], meaning: "The steps a person goes through to get care, from first contact to the end." },
  { term: "Deliverable", also: ["deliverables"], meaning: "Something a project has promised to make or do by a certain date." },
  { term: "KPI", also: ["key performance indicator", "kpis"], meaning: "Key performance indicator. A number used to check whether a service is doing what it should." },
  { term: "Workstream", also: ["workstreams"], meaning: "One part of a bigger piece of work, with its own people and goals." },
  { term: "Evaluation", also: ["evaluate"], meaning: "Looking carefully at a project to learn what worked, what did not, and why." },
  { term: "Evaluator", meaning: "The person who studies how a project went. They see numbers and words by role, never by name." },
  { term: "Facilitator", also: ["coordinator"], meaning: "The person who runs the programme day to day: they set up questions, sessions and panels." },
  { term: "Baseline", meaning: "How things are at the start, so that you can see later what has changed." },
  { term: "Thematic analysis", also: ["themes", "theme"], meaning: "Reading what people said and sorting it into the main ideas that come up again and again." },
  { term: "Member checking", meaning: "Asking the people who took part whether a summary of what they said is right." },
  { term: "Reciprocity", meaning: "People get something back for what they give, such as thanks, pay or new skills." },
  { term: "Taster session", also: ["taster", "tasters"], meaning: "A short, free session to try something out before signing up to more." },
  { term: "Panel", also: ["panels", "interview panel"], meaning: "A group of people, often staff and experts by experience, who meet to make a choice together." },
  { term: "Learning set", also: ["learning sets", "action learning set", "action learning sets"], meaning: "A small group that meets again and again, for example four times a year, to learn from each other. After each meeting, members are asked to reflect on it." },
  { term: "Debrief", also: ["debriefs", "debriefing"], meaning: "A short talk or note after a meeting about what went well and what could be better." },
  { term: "You said, we did", also: ["you said we did"], meaning: "Telling people what was done about what they said." },
  { term: "We said, we did", also: ["we said we did"], meaning: "Things that people who use services and staff agreed to do, and did, together." },
  { term: "Consent", meaning: "Saying yes to something, knowing what it means. You can change your mind at any time." },
  { term: "Anonymous", also: ["anonymously"], meaning: "Nobody can tell who said it. Not even the people who run the programme." },
];
