/**
 * The embedded database (PGlite) in a worker thread, and a Prisma driver
 * adapter on the main thread that forwards each call to it.
 *
 * Why: PGlite is PostgreSQL compiled to WebAssembly and runs on the thread
 * that calls it. In the main thread every statement held up the event loop,
 * so under a burst the HTTP acknowledgement and /healthz waited behind the
 * database. In its own thread, a long statement slows the work but never the
 * thread that answers HTTP.
 *
 * Why this is written by hand: @electric-sql/pglite-socket (PGlite behind a
 * PostgreSQL socket, for @prisma/adapter-pg) has no release for PGlite 0.5.16,
 * and PGlite's own worker is for browsers. pglite-prisma-adapter's surface is
 * six calls (query, execute, script, transaction start, commit, rollback), so
 * the worker (embedded-worker.mjs) runs that adapter unchanged and this file
 * forwards those calls. Results and errors cross as plain data.
 */
import { Worker } from "node:worker_threads";

/** Keeps PGlite's memory small: shared_buffers is PGlite's largest fixed allocation (128 MB by default). */
export const EMBEDDED_START_PARAMS = ["-c", "shared_buffers=16MB"];

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

export type EmbeddedThread = {
  call<T = unknown>(op: string, payload?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
};

/** A plain error from the worker back into an Error Prisma recognises (a DriverAdapterError is known by its name and cause). */
function revive(plain: { name: string; message: string; cause?: unknown; [key: string]: unknown }): Error {
  const error = new Error(plain.message) as Error & Record<string, unknown>;
  Object.assign(error, plain);
  return error;
}

/** Starts PGlite in a worker; resolves once it is ready (from `templateFile`, a prepared data directory, when given). */
export async function startEmbeddedThread(options: { dataDir?: string; templateFile?: string }): Promise<EmbeddedThread> {
  const worker = new Worker(new URL("./embedded-worker.mjs", import.meta.url), {
    workerData: { dataDir: options.dataDir, templateFile: options.templateFile, startParams: EMBEDDED_START_PARAMS },
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let gone: Error | null = null;
  // The worker keeps the process alive only while a call is waiting, as PGlite in the main thread did.
  const refresh = () => (pending.size > 0 ? worker.ref() : worker.unref());
  const failAll = (error: Error) => {
    gone ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    refresh();
  };
  worker.on("message", (message: { id: number; value?: unknown; error?: { name: string; message: string } }) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    refresh();
    if (message.error) waiting.reject(revive(message.error));
    else waiting.resolve(message.value);
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`the embedded database stopped (worker exit code ${code})`)));

  const call = <T>(op: string, payload: Record<string, unknown> = {}): Promise<T> => {
    if (gone) return Promise.reject(gone);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      refresh();
      worker.postMessage({ id, op, ...payload });
    });
  };
  const thread: EmbeddedThread = {
    call,
    async close() {
      if (gone) return;
      await call("close").catch(() => undefined);
      await worker.terminate();
    },
  };
  try {
    await call("ready");
  } catch (error) {
    await worker.terminate().catch(() => undefined);
    throw error;
  }
  return thread;
}

type SqlQuery = { sql: string; args: unknown[]; argTypes: unknown[] };
const ADAPTER_NAME = "pglite-prisma-adapter";

function queryable(forward: (method: string, args: unknown[]) => Promise<unknown>) {
  return {
    provider: "postgres" as const,
    adapterName: ADAPTER_NAME,
    queryRaw: (query: SqlQuery) => forward("queryRaw", [query]),
    executeRaw: (query: SqlQuery) => forward("executeRaw", [query]),
  };
}

/** A Prisma driver adapter factory whose every call runs in the embedded thread. */
export function embeddedAdapter(thread: EmbeddedThread) {
  const adapter = {
    ...queryable((method, args) => thread.call("adapter", { method, args })),
    executeScript: (script: string) => thread.call<void>("adapter", { method: "executeScript", args: [script] }),
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => undefined,
    async startTransaction(isolationLevel?: string) {
      const { txId, options } = await thread.call<{ txId: number; options: unknown }>("adapter", { method: "startTransaction", args: isolationLevel ? [isolationLevel] : [] });
      const forward = (method: string, args: unknown[]) => thread.call("transaction", { txId, method, args });
      return {
        ...queryable(forward),
        options,
        commit: () => forward("commit", []),
        rollback: () => forward("rollback", []),
      };
    },
  };
  return {
    provider: "postgres" as const,
    adapterName: ADAPTER_NAME,
    connect: async () => adapter,
  };
}
