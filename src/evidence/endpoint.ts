import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { CoreContext } from "../context.ts";
import { sendJson } from "../http.ts";
import type { HttpRoute } from "../platform.ts";
import { startExport } from "./exports.ts";
import { checkExportToken } from "./tokens.ts";
import { endpointQuerySchema, EXPORT_FORMATS, EXPORT_KINDS, fileName, MIME_TYPES, type ExportFormat } from "./rules.ts";
import type { ExportKind } from "./codebook.ts";
import * as say from "./catalogue.ts";

const PATH = new RegExp(`^/exports/(${EXPORT_KINDS.join("|")})\\.(${EXPORT_FORMATS.join("|")})$`);

function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

/**
 * GET /exports/<kind>.csv|.jsonl?programme=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD,
 * with an evaluator's token (`export token` in chat) as a bearer token.
 * 401 without a working token, 403 for another programme, 400 for a query it
 * cannot use; otherwise the file, streamed as it is read from the database.
 */
export function exportRoute(ctx: CoreContext): HttpRoute {
  return {
    method: "GET",
    path: "/exports/",
    prefix: true,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const url = new URL(req.url ?? "/", "http://localhost");
      const path = PATH.exec(url.pathname);
      if (!path) return sendJson(res, 404, { error: say.exportText.notFound });
      const check = await checkExportToken(ctx, bearer(req));
      if (!check.ok) {
        if (check.status === 401) res.setHeader("www-authenticate", 'Bearer realm="wesaid exports"');
        return sendJson(res, check.status, { error: check.status === 401 ? say.exportText.noToken : say.exportText.notYours });
      }
      const query = endpointQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success) {
        const first = query.error.issues[0]?.message ?? "";
        return sendJson(res, 400, { error: [say.exportText.badDate, say.exportText.backwards].includes(first) ? first : say.exportText.badQuery });
      }
      if (query.data.programme !== check.programmeId) return sendJson(res, 403, { error: say.exportText.notYours });

      const request = { what: path[1] as ExportKind, format: path[2] as ExportFormat, from: query.data.from, to: query.data.to };
      const { stream } = await startExport(ctx, { programmeId: check.programmeId, readerId: check.personId, request, via: "http" });
      res.writeHead(200, {
        "content-type": `${MIME_TYPES[request.format]}; charset=utf-8`,
        "content-disposition": `attachment; filename="${fileName(request)}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      if (req.method === "HEAD") {
        stream.destroy();
        return void res.end();
      }
      await pipeline(stream, res).catch((error) => {
        ctx.log.warn("an export stopped before it was finished", { error: String(error) });
        res.destroy();
      });
    },
  };
}
