/** The prompts loop's public face: what other loops, adapters, the bench and tests may use. */
export { promptsFeature } from "./feature.ts";
export { createSeries, createSeriesFromTemplate, templateInput, seriesInput, type SeriesInput, type TemplateOverrides } from "./series.ts";
export { findTemplate, PROMPT_TEMPLATES, SCHEDULE_PRESETS, type PromptTemplate } from "./templates.ts";
export { sweepOccurrences, seriesScope } from "./occurrences.ts";
export { sweepDeliveries, promptMessageKey } from "./deliveries.ts";
export { sweepReminders } from "./reminders.ts";
export { sweepClosed } from "./closing.ts";
export { answeredDeliveries, responseKeyFor } from "./answers.ts";
export { summariseAnswers, writtenAnswers, ANSWERS_PER_MESSAGE } from "./results.ts";
export { stopSeriesFor, restartSeriesFor, declineDelivery, seriesChoicesFor, type SeriesChoice } from "./opt-outs.ts";
export { offerHeldPrompts, resumeReminders } from "./resume.ts";
