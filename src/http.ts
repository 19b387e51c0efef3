import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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

export type HttpServer = { server: Server; port: number; close(): Promise<void> };

/** wesaid's one HTTP server: /healthz plus whatever the adapters mount. */
export async function startHttpServer(opts: { port: number; host: string; routes: HttpRoute[]; log: Logger }): Promise<HttpServer> {
  const server = createServer((req, res) => {
    void route(opts.routes, req, res).catch((error) => {
      opts.log.error("request failed", { url: req.url, error: error instanceof Error ? error.stack : String(error) });
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
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
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
