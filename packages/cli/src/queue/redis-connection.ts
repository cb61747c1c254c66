import { isIP } from 'node:net';
import type { RedisOptions } from 'bullmq';
import { Redis, type RedisOptions as IoRedisOptions } from 'ioredis';
import { MaxPoolBertError } from '@maxpoolbert/core';
import { UsageError } from '../command.js';

/** Where the Redis password may come from besides the URL (a URL shows in `ps` and shell history). */
export const REDIS_PASSWORD_ENV = 'MAXPOOLBERT_REDIS_PASSWORD';

export interface RedisTarget {
  /** Connection options (BullMQ's, handed to ioredis): host, port, db, credentials, TLS for rediss://. */
  options: RedisOptions;
  /** The URL without its password, for every message and log line. */
  shown: string;
  /** `text` with the password (if any) replaced by "***": for messages that come from elsewhere (ioredis, BullMQ). */
  redact(text: string): string;
}

/**
 * Parses `--queue redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (or `rediss://` for TLS, which
 * ioredis speaks natively). The password may instead come from MAXPOOLBERT_REDIS_PASSWORD; it
 * never appears in what `shown` or `redact` return.
 */
export function parseRedisUrl(raw: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Unparsable, so where a password ends is unclear: everything before the last "@" is hidden.
    const shown = raw.includes('@') ? `***${raw.slice(raw.lastIndexOf('@'))}` : raw;
    throw new UsageError(`--queue must be a Redis URL such as redis://127.0.0.1:6379, got "${shown}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError(`--queue must start with redis:// or rediss:// (TLS), got "${url.protocol}//"`);
  if (!url.hostname) throw new UsageError('--queue needs a host, e.g. redis://127.0.0.1:6379');
  const dbPart = url.pathname.replace(/^\//, '');
  const db = dbPart === '' ? 0 : Number(dbPart);
  if (!/^\d*$/.test(dbPart) || !Number.isInteger(db)) throw new UsageError(`--queue: the database after the host must be a number, e.g. redis://host:6379/2, got "/${dbPart}"`);
  const password = url.password ? decodeURIComponent(url.password) : env[REDIS_PASSWORD_ENV] || undefined;
  const host = url.hostname.replace(/^\[|\]$/g, ''); // [::1] → ::1
  const options: RedisOptions = {
    host,
    port: url.port ? Number(url.port) : 6379,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(password ? { password } : {}),
    // TLS verifies the server's certificate against the host name (SNI cannot carry an IP address).
    ...(url.protocol === 'rediss:' ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    // BullMQ's workers need commands to wait for a reconnect rather than fail (Redis restarting).
    maxRetriesPerRequest: null,
  };
  const secrets = [password, url.password].filter((s): s is string => !!s);
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), redactUrl(text));
  return { options, shown: redactUrl(raw), redact };
}

/** Any redis:// or rediss:// URL in `text` with its password replaced by "***" (also in unparsable input). */
export function redactUrl(text: string): string {
  return text.replace(/(rediss?:\/\/)([^@/\s]*)@/gi, (_m, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

/**
 * Connects once with no retries and a short timeout: an unreachable or misconfigured Redis (down,
 * wrong port, wrong password, TLS mismatch) is one clear error within seconds instead of ioredis
 * retrying forever in the background.
 */
export async function checkRedisReachable(target: RedisTarget, timeoutMs = 5000): Promise<void> {
  const client = new Redis({
    ...(target.options as IoRedisOptions), lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false,
    // ioredis waits this long for a socket that closed already (a refused connection) to close: it would hold the exit.
    disconnectTimeout: 100,
  });
  // The cause (ECONNREFUSED, a TLS or DNS error) comes as an 'error' event; connect() then only
  // says "Connection is closed". Reported below, once.
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause ??= err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const why = target.redact((cause ?? (err as Error)).message.replace(/\s+/g, ' '));
    throw new MaxPoolBertError(`cannot reach Redis at ${target.shown} (${why}): start redis-server there, or fix --queue (password: in the URL or ${REDIS_PASSWORD_ENV})`);
  } finally {
    client.disconnect();
  }
}
