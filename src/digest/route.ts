import type { IncomingMessage, ServerResponse } from "node:http";
import type { CoreContext } from "../context.ts";
import type { HttpRoute } from "../platform.ts";
import { auditRead } from "../audit.ts";
import { rolesWith } from "../roles.ts";
import { storedDigest } from "./data.ts";
import { checkDigestLink, digestLinkKey } from "./link.ts";
import { chartsFor, digestsBefore } from "./pictures.ts";
import { digestPage, refusedPage } from "./page.ts";

/**
 * GET /digests/<id>?reader=..&expires=..&sig=.. : the digest's web page, and
 * GET /digests/<id>/charts/<n>.png with the same signed query: one chart, for
 * platforms that show a picture from its address (Teams cards). Only a link
 * wesaid signed, not yet expired, for someone who may still read digests.
 */

const PATH = /^\/digests\/([\w-]{1,64})(?:\/charts\/(\d{1,2})\.png)?$/;

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "private, no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function refuse(res: ServerResponse, status: 403 | 404, reason: "bad" | "expired"): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(refusedPage(reason));
}

export function digestPageRoute(ctx: CoreContext): HttpRoute {
  const key = digestLinkKey(ctx.settings.answerSecret);
  return {
    method: "GET",
    path: "/digests/",
    prefix: true,
    async handle(req: IncomingMessage, res: ServerResponse) {
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = PATH.exec(url.pathname);
      if (!match) return refuse(res, 404, "bad");
      const [, digestId, chartNumber] = match as unknown as [string, string, string | undefined];
      const now = ctx.clock.now();
      const checked = checkDigestLink(key, digestId, url.searchParams, now);
      if (!checked.ok) return refuse(res, 403, checked.reason);
      const row = await ctx.db.digest.findUnique({ where: { id: digestId } });
      const data = row ? storedDigest(row.data) : null;
      if (!row || !data) return refuse(res, 404, "bad");
      // A reader who has since lost the evaluator's role (or left) cannot use an old link.
      const member = await ctx.db.membership.findFirst({ where: { programmeId: row.programmeId, personId: checked.link.readerId, role: { in: [...rolesWith("digest.view")] } } });
      if (!member) return refuse(res, 403, "bad");
      const charts = await chartsFor(data, await digestsBefore(ctx.db, row.programmeId, row.weekStart));
      if (chartNumber !== undefined) {
        const chart = charts[Number(chartNumber)];
        if (!chart) return refuse(res, 404, "bad");
        res.writeHead(200, { "content-type": "image/png", "cache-control": "private, max-age=3600", "x-content-type-options": "nosniff" });
        res.end(chart.png);
        return;
      }
      await auditRead(ctx.db, now, checked.link.readerId, { kind: "digest", programmeId: row.programmeId, week: row.weekStart });
      res.writeHead(200, PAGE_HEADERS);
      res.end(digestPage(data, charts, { expires: checked.link.expires }));
    },
  };
}
