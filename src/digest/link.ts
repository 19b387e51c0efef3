import { createHmac, timingSafeEqual } from "node:crypto";
import { DAY } from "../clock.ts";

/**
 * Signed links to a digest's web page. Anyone holding the link can read the
 * page until it expires, so a link names the digest, the person it was sent
 * to (for the audit log) and its expiry, all covered by an HMAC whose key is
 * derived from the answer secret, which never lives in the database: a copy
 * of the database is not enough to make a link.
 */

export const LINK_DAYS = 7;

export type DigestLink = { digestId: string; readerId: string; expires: Date };

/** A key for digest links only: knowing it tells nothing about the answer secret, or the other way round. */
export function digestLinkKey(answerSecret: string): Buffer {
  return createHmac("sha256", answerSecret).update("wesaid digest links v1").digest();
}

const signature = (key: Buffer, link: DigestLink) =>
  createHmac("sha256", key).update(`${link.digestId}\n${link.readerId}\n${Math.floor(link.expires.getTime() / 1000)}`).digest("base64url");

/** The page's address: `<base>/digests/<id>?reader=..&expires=<unix seconds>&sig=..`. */
export function digestLinkUrl(key: Buffer, baseUrl: string, link: DigestLink): string {
  const url = new URL(`/digests/${encodeURIComponent(link.digestId)}`, baseUrl);
  url.searchParams.set("reader", link.readerId);
  url.searchParams.set("expires", String(Math.floor(link.expires.getTime() / 1000)));
  url.searchParams.set("sig", signature(key, link));
  return url.toString();
}

export const linkExpiry = (now: Date, days = LINK_DAYS) => new Date(Math.floor((now.getTime() + days * DAY) / 1000) * 1000);

/** Checks a link's signature first, then its expiry: "bad" says nothing about whether the digest exists. */
export function checkDigestLink(key: Buffer, digestId: string, params: URLSearchParams, now: Date): { ok: true; link: DigestLink } | { ok: false; reason: "bad" | "expired" } {
  const readerId = params.get("reader") ?? "";
  const expiresText = params.get("expires") ?? "";
  const given = Buffer.from(params.get("sig") ?? "", "base64url");
  if (!/^\d{1,12}$/.test(expiresText) || !readerId || readerId.length > 100) return { ok: false, reason: "bad" };
  const link = { digestId, readerId, expires: new Date(Number(expiresText) * 1000) };
  const expected = Buffer.from(signature(key, link), "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad" };
  if (link.expires <= now) return { ok: false, reason: "expired" };
  return { ok: true, link };
}
