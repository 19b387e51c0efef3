import type { IncomingMessage, ServerResponse } from "node:http";
import type { CoreContext } from "../context.ts";
import { BodyTooLargeError, readBody, sendJson } from "../http.ts";
import type { HttpRoute } from "../platform.ts";
import { checkExportToken } from "../evidence/index.ts";
import { exportText } from "../evidence/index.ts";
import { importCodes } from "./assignments.ts";
import * as say from "./catalogue.ts";

const bearer = (req: IncomingMessage) => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];

/**
 * POST /exports/codes?programme=<id> with the evaluator's export token and a
 * CSV body (kind,id,code): all the codes are given, or none and 400 with the
 * lines to fix.
 */
export function codeImportRoute(ctx: CoreContext): HttpRoute {
  return {
    method: "POST",
    path: "/exports/codes",
    async handle(req: IncomingMessage, res: ServerResponse) {
      const check = await checkExportToken(ctx, bearer(req));
      if (!check.ok) {
        if (check.status === 401) res.setHeader("www-authenticate", 'Bearer realm="wesaid exports"');
        return sendJson(res, check.status, { error: check.status === 401 ? exportText.noToken : exportText.notYours });
      }
      const programme = new URL(req.url ?? "/", "http://localhost").searchParams.get("programme");
      if (programme !== null && programme !== check.programmeId) return sendJson(res, 403, { error: exportText.notYours });
      let body: string;
      try {
        body = await readBody(req);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: say.importText.tooBig });
        throw error;
      }
      if (!body.trim()) return sendJson(res, 400, { error: say.importText.badBody });
      const result = await importCodes(ctx, check.personId, check.programmeId, body, "http");
      if (!result.ok) return sendJson(res, 400, { error: say.importText.nothing, problems: result.problems });
      return sendJson(res, 200, { lines: result.lines, added: result.added, already: result.already });
    },
  };
}
