// The embedded database's own thread (see src/db/embedded.ts for the why).
// It holds PGlite and pglite-prisma-adapter, and answers the messages the
// main thread's proxy sends: { id, op, ... } in, { id, value } or { id, error } out.
// Plain JavaScript, so the same file runs under node, tsx and vitest without a loader.
import { readFile } from "node:fs/promises";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

const { dataDir, templateFile, startParams } = workerData;

async function open() {
  let loadDataDir;
  if (templateFile) loadDataDir = new Blob([await readFile(templateFile)]);
  const pglite = new PGlite({ dataDir, loadDataDir, startParams: [...PGlite.defaultStartParams, ...startParams] });
  await pglite.waitReady;
  return pglite;
}

const ready = open();
const adapter = ready.then((pglite) => new PrismaPGlite(pglite).connect());
const transactions = new Map();
let nextTransaction = 1;

function describeError(error) {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const plain = { name: error.name, message: error.message };
  for (const key of ["code", "detail", "hint", "severity", "column"]) if (error[key] !== undefined) plain[key] = error[key];
  if (error.cause && typeof error.cause === "object") plain.cause = JSON.parse(JSON.stringify(error.cause));
  return plain;
}

const operations = {
  ready: async () => void (await ready),
  query: async ({ sql, params }) => (await (await ready).query(sql, params)).rows,
  exec: async ({ sql }) => void (await (await ready).exec(sql)),
  dump: async () => new Uint8Array(await (await (await ready).dumpDataDir("gzip")).arrayBuffer()),
  adapter: async ({ method, args }) => {
    const connection = await adapter;
    if (method !== "startTransaction") return connection[method](...args);
    const transaction = await connection.startTransaction(...args);
    const txId = nextTransaction++;
    transactions.set(txId, transaction);
    return { txId, options: transaction.options };
  },
  transaction: async ({ txId, method, args }) => {
    const transaction = transactions.get(txId);
    if (!transaction) throw new Error(`transaction ${txId} is already over`);
    if (method === "commit" || method === "rollback") transactions.delete(txId);
    return transaction[method](...args);
  },
  close: async () => {
    const pglite = await ready;
    if (!pglite.closed) await pglite.close();
  },
};

parentPort.on("message", async (message) => {
  try {
    const value = await operations[message.op](message);
    parentPort.postMessage({ id: message.id, value }, value instanceof Uint8Array ? [value.buffer] : []);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: describeError(error) });
  }
});
