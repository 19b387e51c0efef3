/**
 * The few sentences the Slack adapter itself shows: Slack-specific
 * furniture around the core's messages (confirm dialogs, modal buttons,
 * attachments). Everything about the programme comes from the core's catalogue.
 */
export const slackText = {
  confirmTitle: "Are you sure?",
  confirmNo: "No, go back",
  modalCancel: "Cancel",
  modalClose: "Close",
  errorTitle: "Something is not right",
  cutShort: "This message was too long for Slack, so the end is not shown.",
  fileHere: (label: string, filename: string) => `:paperclip: *${label}*: ${filename} is attached below.`,
  fileInDm: (label: string, filename: string) => `:paperclip: *${label}*: ${filename} is in your private messages with wesaid.`,
  fileFailed: (filename: string) => `Sorry, we could not attach ${filename}. Please try again in a minute.`,
  expired: "Sorry, that button is too old to use now. Type help to see what you can do.",
  somethingWrong: "Sorry, something went wrong on our side. Nothing you sent has been lost. Please try again in a minute.",
  homeEmpty: "Type /wesaid help in any channel to see what you can do.",
};
