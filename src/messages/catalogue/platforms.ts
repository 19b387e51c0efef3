/**
 * The few sentences the platform adapters say themselves, about their
 * platform (everything else comes from the feature catalogues). Kept here so
 * that all wording is reviewed and measured in one place.
 */
/** What a people picker asks for, on every platform. */
export const pickerText = {
  choosePeople: "Choose people",
  choosePerson: "Choose a person",
};

export const teamsText = {
  sentPrivately: "I have sent you a private message.",
  couldNotSendPrivately:
    "I could not send you a private message. Please add the wesaid app for yourself in Teams (Apps, then search for wesaid, then Add), and try again.",
  unreachable: "they have not installed the wesaid app in Teams",
  appRemoved: "the wesaid app is no longer installed for them in Teams",
  channelGone: "wesaid is no longer in this Teams channel or chat",
  fillThisIn: (label: string) => `Please answer: ${label}`,
  time: "Time",
  addToCalendar: "Add to my Outlook calendar",
  fileCut: "This is only the first part of the file. It was too long to show here in full.",
  done: "Done.",
};
