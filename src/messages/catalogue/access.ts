export const accessText = {
  notAMemberYet:
    "You have not joined a programme yet. Type join in your programme's channel, or ask your facilitator to add you.",
  notAMemberOfThis: "You are not a member of this programme. Ask its facilitator if you would like to join.",
  chooseProgramme: "You are in more than one programme. Which one is this about?",
  notAllowed: (roles: string[]) => `Sorry, only people in these roles can do that: ${roles.join(", ")}.`,
  needsConsent: "We have not stored that, because you have not said yes to taking part. You can answer the question again below.",
  consentChanged: "We have not stored that. The words about what we keep have changed, so we need your answer again first.",
  paused: "You have paused messages from wesaid. Type resume when you are ready.",
  genericError: "Sorry, something went wrong on our side, so what you just sent may not have been saved. Please try again in a minute. If it keeps happening, tell your facilitator.",
  unknownCommand: (word: string) => `Sorry, I do not know "${word}". Type help to see what you can do.`,
  unknownAction: "Sorry, that button no longer works. Type help to see what you can do.",
};
