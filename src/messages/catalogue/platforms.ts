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

/** Slack furniture around the core's messages: confirm dialogs, modal buttons, attachments. */
export const slackText = {
  confirmTitle: "Are you sure?",
  confirmNo: "No, go back",
  modalCancel: "Cancel",
  modalClose: "Close",
  errorTitle: "Something is not right",
  cutShort: "This message was too long for Slack, so the end is not shown.",
  fileHere: (label: string, filename: string) => `:paperclip: *${label}*: ${filename} is attached below.`,
  fileInDm: (label: string, filename: string) => `:paperclip: *${label}*: ${filename} is in your private messages with wesaid.`,
  chartHere: (title: string) => `:bar_chart: *${title}*: the chart is attached below.`,
  chartInDm: (title: string) => `:bar_chart: *${title}*: the chart is in your private messages with wesaid.`,
  fileFailed: (filename: string) => `Sorry, we could not attach ${filename}. Please try again in a minute.`,
  expired: "Sorry, that button is too old to use now. Type help to see what you can do.",
  somethingWrong: "Sorry, something went wrong on our side, so what you just sent may not have been saved. Please try again in a minute. If it keeps happening, tell your facilitator.",
  homeEmpty: "Type /wesaid help in any channel to see what you can do.",
  otherWorkspace: "Sorry, wesaid here is only for people in this Slack workspace. If you think you should be able to take part, ask the person who runs the programme.",
};
