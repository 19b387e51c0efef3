import { buildAdapters } from "../adapters/index.ts";
import { startWesaid } from "./app.ts";
import { ConfigError } from "./config.ts";

/** `npm start`: run wesaid until SIGTERM or Ctrl-C. */
try {
  const app = await startWesaid({ buildAdapters });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[wesaid] ${signal} received: finishing what is under way, then stopping`);
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
