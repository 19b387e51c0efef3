import { z } from "zod";
import type { DbTx } from "../db/database.ts";
import type { Taster } from "../generated/prisma/client.ts";
import { enqueue } from "../outbox.ts";
import { CHANNEL_TIME_ZONE, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";

/** A taster's posts in its programme's channels, and the row lock every change to its places runs behind. */

export const postRefSchema = z
  .object({ posts: z.array(z.object({ channelId: z.string(), key: z.string() })), refreshes: z.number().int() })
  .catch({ posts: [], refreshes: 0 });
export type PostRef = z.infer<typeof postRefSchema>;

/**
 * Row lock on the taster: every change to its places runs behind it, so two
 * sign-ups at the same moment cannot both take the last place.
 */
export async function lockTaster(tx: DbTx, id: string): Promise<Taster | null> {
  await tx.$queryRaw`SELECT "id" FROM "Taster" WHERE "id" = ${id} FOR UPDATE`;
  return tx.taster.findUnique({ where: { id } });
}

/** Posts a new taster to each of its programme's channels and remembers where. */
export async function postTaster(tx: DbTx, taster: Taster, now: Date): Promise<Taster> {
  const channels = await tx.programmeChannel.findMany({ where: { programmeId: taster.programmeId }, orderBy: { createdAt: "asc" } });
  const posts = channels.map((c) => ({ channelId: c.id, key: `taster:${taster.id}:post:${c.id}` }));
  const posted = await tx.taster.update({ where: { id: taster.id }, data: { postRef: { posts, refreshes: 0 } satisfies PostRef } });
  const post = say.tasterPost(viewOf(posted, [], CHANNEL_TIME_ZONE));
  await enqueue(tx, now, ...posts.map((p) => ({ key: p.key, purpose: "taster.post", channelId: p.channelId, programmeId: taster.programmeId, message: post })));
  return posted;
}

export function postCount(taster: Taster): number {
  return postRefSchema.parse(taster.postRef).posts.length;
}

/** Updates the channel posts in place with the places now left (runs behind the taster lock). */
export async function refreshPosts(tx: DbTx, tasterId: string, now: Date): Promise<void> {
  const taster = await tx.taster.findUniqueOrThrow({ where: { id: tasterId }, include: { signups: true } });
  const ref = postRefSchema.parse(taster.postRef);
  if (ref.posts.length === 0) return;
  const refreshes = ref.refreshes + 1;
  await tx.taster.update({ where: { id: tasterId }, data: { postRef: { ...ref, refreshes } satisfies PostRef } });
  const post = say.tasterPost(viewOf(taster, taster.signups, CHANNEL_TIME_ZONE));
  await enqueue(
    tx,
    now,
    ...ref.posts.map((p) => ({
      // The counter keeps two changes in the same millisecond apart.
      key: `${p.key}:refresh:${now.getTime()}:${refreshes}`,
      purpose: "taster.post.refresh",
      replaceKey: p.key,
      programmeId: taster.programmeId,
      message: post,
    })),
  );
}
