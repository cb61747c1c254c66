import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks an `Authorization: Bearer <key>` header against the server's key in constant time:
 * both sides are hashed first, so neither the key's content nor its length leaks through how
 * long a wrong guess takes (timingSafeEqual alone needs equal lengths and would reveal it).
 */
export function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  const given = createHash('sha256').update(match ? match[1] : '').digest();
  const wanted = createHash('sha256').update(apiKey).digest();
  // Evaluated in full either way: a missing header costs the same as a wrong key.
  return timingSafeEqual(given, wanted) && match !== null;
}
