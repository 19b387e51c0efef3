import type { Readable } from "node:stream";
import { audit } from "../audit.ts";
import type { CoreContext } from "../context.ts";
import { exportRows } from "./rows.ts";
import { rangeOf, type ExportRequest } from "./rules.ts";
import { exportStream } from "./write.ts";

export type ExportCall = { programmeId: string; readerId: string; request: ExportRequest; via: "chat" | "http"; batchSize?: number };

/**
 * Starts an export: records it in the audit log (who, what kind, which
 * programme and days, how: naming no participant), then returns the file as a
 * stream read from the database in batches.
 */
export async function startExport(ctx: CoreContext, call: ExportCall): Promise<{ stream: Readable; rows(): number }> {
  const { request } = call;
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: call.programmeId }, select: { id: true, name: true } });
  await audit(ctx.db, ctx.clock.now(), call.readerId, `export.${request.what}`, "Programme", programme.id, {
    format: request.format,
    from: request.from ?? null,
    to: request.to ?? null,
    via: call.via,
  });
  const rows = exportRows(request.what, { db: ctx.db, settings: ctx.settings, programme, range: rangeOf(request), batchSize: call.batchSize });
  let count = 0;
  const counted = (async function* () {
    for await (const batch of rows) {
      count += batch.length;
      yield batch;
    }
  })();
  return { stream: exportStream(request.what, request.format, counted), rows: () => count };
}
