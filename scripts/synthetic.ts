import { parseArgs } from "node:util";
import { z } from "zod";
import { systemClock } from "../src/clock.ts";
import { loadConfig, StartupError } from "../src/config.ts";
import { silentLogger } from "../src/context.ts";
import { generateProgramme } from "../src/demo/synthetic.ts";
import { readEnvFile } from "../src/env-file.ts";
import { withCore } from "../src/standalone.ts";

/**
 * `npm run synthetic -- --people 300 --weeks 12 --seed 1`: a made-up programme in the configured database.
 * `--questions 16` puts 16 questions in the weekly check-in: with 1,000 people over 12 weeks, about 100,000 answers.
 */
const options = z.object({
  people: z.coerce.number().int().min(10, "--people must be 10 or more").max(20_000),
  weeks: z.coerce.number().int().min(1, "--weeks must be 1 or more").max(260),
  seed: z.coerce.number().int().min(0),
  questions: z.coerce.number().int().min(2, "--questions must be 2 or more").max(50),
});

try {
  readEnvFile();
  const { values } = parseArgs({ options: { people: { type: "string", default: "300" }, weeks: { type: "string", default: "12" }, seed: { type: "string", default: "1" }, questions: { type: "string", default: "2" } } });
  const parsed = options.safeParse(values);
  if (!parsed.success) throw new StartupError(parsed.error.issues.map((i) => i.message).join("; "));
  const config = loadConfig(process.env);
  const started = performance.now();
  const summary = await withCore(config, { clock: systemClock, log: silentLogger }, (core) => generateProgramme(core.ctx, { ...parsed.data, checkInQuestions: parsed.data.questions, prefix: `synthetic-${parsed.data.seed}-${Date.now()}`, storeDigests: true }));
  console.log(`Made "Synthetic programme (seed ${parsed.data.seed})" in ${((performance.now() - started) / 1000).toFixed(1)} s:`);
  console.log(`  ${summary.people} people (${summary.refused} said no to taking part, ${summary.paused} paused, ${summary.erased} erased), ${summary.answers} answers,`);
  console.log(`  ${summary.ideas} ideas, ${summary.tasters} tasters, ${summary.panels} panels, ${summary.digests} weekly digests stored, from ${summary.start.toISOString().slice(0, 10)}.`);
  console.log(`  Seconds: ${summary.seconds.insert} inserting, ${summary.seconds.erase} erasing, ${summary.seconds.digests} building digests.`);
} catch (error) {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
}
