import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { StartupError } from "./config.ts";
import { withRequestId } from "./log.ts";
import type { HttpRoute } from "./platform.ts";
import type { Logger } from "./context.ts";

export const MAX_BODY_BYTES = 1_000_000;

export class BodyTooLargeError extends Error {}

/** Reads a request body as text, refusing anything over the limit. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export type HttpServer = {
  server: Server;
  port: number;
  /** Mounts the routes; until then every request gets 503 (starting). */
  serve(routes: HttpRoute[]): void;
  close(): Promise<void>;
};

/** The port could not be had: another program (often another wesaid) holds it, or it is not allowed. */
export class PortError extends StartupError {}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * wesaid's one HTTP server: /healthz plus whatever the adapters mount. It
 * binds first, before the database is opened, so a second wesaid on a busy
 * port stops before it touches anything. Each request gets an id (the
 * caller's X-Request-Id when it is sensible), sent back in X-Request-Id and
 * carried by every log line written while the request is handled.
 */
/** How long an idle kept-alive connection stays open (longer than common proxies' idle time, 60 s). */
const KEEP_ALIVE_MS = 65_000;

export async function startHttpServer(opts: { port: number; host: string; log: Logger }): Promise<HttpServer> {
  let routes: HttpRoute[] | null = null;
  const server = createServer((req, res) => {
    const given = req.headers["x-request-id"];
    const reqId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", reqId);
    withRequestId(reqId, () => {
      const started = performance.now();
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      res.on("finish", () => {
        const fields = { method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) };
        if (res.statusCode >= 500) opts.log.warn("request answered with an error", fields);
        else opts.log.debug?.("request", fields);
      });
      if (!routes) return sendJson(res, 503, { status: "starting" });
      void route(routes, req, res).catch((error) => {
        // A body over the limit is the sender's mistake (or an attack), not ours: a warning, not an error.
        if (error instanceof BodyTooLargeError) opts.log.warn("request refused: its body is too large", { path });
        else opts.log.error("request handler failed", { path, error });
        if (error instanceof BodyTooLargeError && !res.headersSent) {
          // The rest of the body is still on the wire: close the connection rather than reuse it.
          res.setHeader("connection", "close");
          const socket = req.socket;
          res.on("finish", () => socket?.destroy());
          sendJson(res, 413, { error: "That request is too large." });
        } else if (!res.headersSent) sendJson(res, 500, { error: "Something went wrong." });
        else res.end();
      });
    });
  });
  // Acknowledgements now come before the work, so a client's kept-alive connection sits idle while the work runs.
  // Node's 5 s default then races a client (or proxy) reusing it, which sees a reset; idle connections are kept longer.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(portError(error, opts)));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    serve(mounted) {
      routes = mounted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function portError(error: NodeJS.ErrnoException, where: { port: number; host: string }): Error {
  const at = `port ${where.port} on ${where.host}`;
  if (error.code === "EADDRINUSE") return new PortError(`${at} is already in use (is wesaid already running?). Stop the other program, or set PORT to a free port.`);
  if (error.code === "EACCES") return new PortError(`${at} is not allowed for this user. Set PORT to a number above 1023.`);
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") return new PortError(`HOST ${where.host} is not an address of this computer. Set HOST to 127.0.0.1 or 0.0.0.0.`);
  return error;
}

async function route(routes: HttpRoute[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const method = req.method === "HEAD" ? "GET" : req.method;
  const matches = routes.filter((r) => (r.prefix ? path.startsWith(r.path) : path === r.path));
  const match = matches.find((r) => r.method === method);
  if (match) return match.handle(req, res);
  if (matches.length > 0) {
    res.writeHead(405, { allow: [...new Set(matches.map((r) => r.method))].join(", ") });
    res.end();
    return;
  }
  sendJson(res, 404, { error: "Not found." });
}
