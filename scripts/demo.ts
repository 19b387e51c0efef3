import { seedDemo } from "../adapters/local/seed.ts";
import { ConfigError } from "../src/config.ts";

/** `npm run demo`: loads the demo programme into the playground (safe to run twice). */
try {
  const outcome = await seedDemo();
  console.log(outcome.message);
  if (outcome.via === "running app") {
    console.log(`wesaid is already running: open ${outcome.url} in your browser.`);
  } else {
    console.log("");
    console.log("Now start wesaid:   npm start");
    console.log(`Then open:          ${outcome.url}`);
    if (!outcome.playgroundOn) console.log("A chat platform is configured, so also set PLAYGROUND=1 to switch the playground on.");
    console.log("Pick a person, look in #demo-programme, and press \"Skip ahead 1 day\" to see the first questions arrive.");
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
