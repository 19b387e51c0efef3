import { z } from "zod";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { startExport } from "./exports.ts";
import { createExportToken, revokeExportTokens } from "./tokens.ts";
import { CHAT_FILE_LIMIT_BYTES, exportCommandArgs, exportFields, fileName, inOrder, MIME_TYPES } from "./rules.ts";
import { collect } from "./write.ts";
import * as say from "./catalogue.ts";

const exportArgs = z.object({ programmeId: z.string().min(1).optional(), ...exportFields }).refine(inOrder, { message: say.exportText.backwards, path: ["to"] });
const programmeOnly = z.object({ programmeId: z.string().min(1).optional() });

/** Exports for the evaluation team: files in chat, and tokens for the HTTP endpoint (src/evidence/endpoint.ts). */
export const evidenceFeature: Feature = {
  name: "evidence",
  actions: [
    defineAction({
      action: "evidence.export",
      access: "evidence.export",
      args: exportArgs,
      labels: { what: "What to export", format: "Kind of file", from: "From", to: "To" },
      async run(ctx, { actor, args, membership }) {
        const { programmeId: _, ...request } = args;
        const { stream, rows } = await startExport(ctx, { programmeId: membership.programmeId, readerId: actor.person.id, request, via: "chat" });
        const file = await collect(stream, CHAT_FILE_LIMIT_BYTES);
        if ("tooBig" in file) {
          const query = new URLSearchParams({ programme: membership.programmeId, ...(request.from ? { from: request.from } : {}), ...(request.to ? { to: request.to } : {}) });
          const link = `/exports/${request.what}.${request.format}?${query}`;
          return { private: say.exportTooBig({ ...request, limitMb: CHAT_FILE_LIMIT_BYTES / 1_000_000, link }) };
        }
        return { private: say.exportFile({ ...request, filename: fileName(request), mimeType: MIME_TYPES[request.format], content: file.content, rows: rows() }) };
      },
    }),
    defineAction({
      action: "evidence.token.create",
      access: "evidence.export",
      args: programmeOnly,
      async run(ctx, { actor, membership }) {
        return { private: say.tokenMade(await createExportToken(ctx, actor.person.id, membership.programmeId), membership.programmeId) };
      },
    }),
    defineAction({
      action: "evidence.token.revoke",
      access: "evidence.export",
      args: programmeOnly,
      async run(ctx, { actor, membership }) {
        return { private: say.tokensRevoked(await revokeExportTokens(ctx, actor.person.id, membership.programmeId)) };
      },
    }),
  ],
  commands: [
    {
      name: "export",
      ...say.commandHelp.export,
      capability: "evidence.export",
      toAction: (rest) => {
        const words = rest.trim().toLowerCase().split(/\s+/);
        if (words[0] === "token" || words[0] === "tokens") {
          return { action: /^(revoke|stop|delete|remove)$/.test(words[1] ?? "") ? "evidence.token.revoke" : "evidence.token.create", args: {} };
        }
        return { action: "evidence.export", args: exportCommandArgs(rest) };
      },
    },
  ],
};
