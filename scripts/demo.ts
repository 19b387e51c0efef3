import { seedDemo } from "../adapters/local/seed.ts";
import { StartupError } from "../src/config.ts";
import { readEnvFile } from "../src/env-file.ts";

/** `npm run demo`: loads the demo programme into the playground (safe to run twice). */
try {
  readEnvFile();
  const outcome = await seedDemo();
  console.log(outcome.message);
  if (outcome.via === "running app") {
    console.log(`wesaid is already running: open ${outcome.url} in your browser.`);
  } else {
    console.log("");
    console.log("Now start wesaid:   npm start");
    console.log(`Then open:          ${outcome.url}`);
    console.log("Pick a person, look in #demo-programme, and press \"Skip ahead 1 day\" to see the first questions arrive.");
  }
} catch (error) {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
}
