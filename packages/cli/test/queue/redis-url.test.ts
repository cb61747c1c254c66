// `--queue URL`: how it is read (host, port, db, credentials from the URL or the environment,
// TLS for rediss://), that a password never shows in what is printed, and that an unreachable
// Redis or a misuse is one clear line at once (in-process CLI, no Redis running).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TINY_BERT_DIR } from '../../../../testing/shared-fixtures';
import { UsageError } from '../../src/command';
import { parseRedisUrl, redactUrl } from '../../src/queue/redis-connection';
import { cli, tempDir } from '../run-cli';
import { GLUE_DIR } from '../training/helpers';
import { freePort } from './redis-server';

const root = tempDir('mpb-queue-url-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const compareArgv = (out: string, ...more: string[]) => [
  'compare', '--model', TINY_BERT_DIR, '--heads', 'cls', '--seeds', '1', '--task', 'SST-2', '--data', GLUE_DIR,
  '--train-limit', '16', '--dev-limit', '8', '--out', out, ...more,
];

describe('parseRedisUrl', () => {
  it('reads host, port, database and a password, and shows the URL without the password', () => {
    const t = parseRedisUrl('redis://:s3cr%40t@redis.lan:6380/2', {});
    expect(t.options).toMatchObject({ host: 'redis.lan', port: 6380, db: 2, password: 's3cr@t', maxRetriesPerRequest: null });
    expect(t.options).not.toHaveProperty('tls');
    expect(t.shown).toBe('redis://:***@redis.lan:6380/2');
    expect(t.redact('NOAUTH for s3cr@t (s3cr%40t)')).toBe('NOAUTH for *** (***)');
  });

  it('defaults to port 6379 and database 0; takes a user name (Redis ACLs)', () => {
    expect(parseRedisUrl('redis://127.0.0.1', {}).options).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0 });
    const t = parseRedisUrl('redis://alice:pw@h', {});
    expect(t.options).toMatchObject({ username: 'alice', password: 'pw' });
    expect(t.shown).toBe('redis://alice:***@h');
  });

  it('takes the password from MAXPOOLBERT_REDIS_PASSWORD when the URL has none, and hides it too', () => {
    const t = parseRedisUrl('redis://h:7000', { MAXPOOLBERT_REDIS_PASSWORD: 'from-env' });
    expect(t.options.password).toBe('from-env');
    expect(t.shown).toBe('redis://h:7000');
    expect(t.redact('auth from-env failed')).toBe('auth *** failed');
    expect(parseRedisUrl('redis://:in-url@h', { MAXPOOLBERT_REDIS_PASSWORD: 'from-env' }).options.password).toBe('in-url');
  });

  it('connects with TLS for rediss:// (checking the certificate against the host name)', () => {
    expect(parseRedisUrl('rediss://cache.example.com:6380', {}).options.tls).toEqual({ servername: 'cache.example.com' });
    expect(parseRedisUrl('rediss://10.0.0.5', {}).options.tls).toEqual({}); // no SNI for an IP address
  });

  it('refuses what is not a Redis URL as a usage error that does not echo a password', () => {
    expect(() => parseRedisUrl('http://h:6379', {})).toThrow(/--queue must start with redis:\/\/ or rediss:\/\/ \(TLS\)/);
    expect(() => parseRedisUrl('redis://h:6379/cache', {})).toThrow(/the database after the host must be a number/);
    expect(() => parseRedisUrl('redis:// :pw@', {})).toThrow(UsageError);
    let message = '';
    try {
      parseRedisUrl('redis//:topsecret@h:6379', {});
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/--queue must be a Redis URL/);
    expect(message).not.toContain('topsecret');
  });

  it('redactUrl hides the password of every Redis URL in a text', () => {
    expect(redactUrl('a redis://:x1@h:1 and rediss://u:x2@k/3 and redis://plain:6379')).toBe('a redis://:***@h:1 and rediss://u:***@k/3 and redis://plain:6379');
  });
});

describe('compare --queue and worker, without a Redis', () => {
  it('an unreachable Redis is one line within seconds, naming it without the password', async () => {
    const port = await freePort();
    for (const argv of [compareArgv(path.join(root, 'unreachable'), '--queue', `redis://:hunter2@127.0.0.1:${port}`), ['worker', '--queue', `redis://:hunter2@127.0.0.1:${port}`]]) {
      const started = Date.now();
      const r = await cli(...argv);
      expect(Date.now() - started).toBeLessThan(5000); // ioredis alone would retry for ever
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port})`);
      expect(r.stderr).not.toContain('hunter2');
    }
    expect(fs.existsSync(path.join(root, 'unreachable'))).toBe(false); // refused before any work
  });

  it('--parallel and the backend flags belong to the workers: usage errors (exit 2)', async () => {
    const url = 'redis://127.0.0.1:1';
    for (const [flag, value] of [['--parallel', '2'], ['--backend', 'wasm'], ['--threads', '2']]) {
      const r = await cli(...compareArgv(path.join(root, 'usage'), '--queue', url, flag!, value!));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${flag}.*(maxpoolbert worker|worker --concurrency)`));
    }
    expect((await cli('worker')).stderr).toMatch(/worker: --queue is required/);
  });

  it('--help documents the set-up: the password variable, the shared file system, TLS', async () => {
    const compareHelp = (await cli('compare', '--help')).stdout;
    expect(compareHelp).toMatch(/--queue URL/);
    expect(compareHelp).toMatch(/same paths on every machine \(a shared file system\)/);
    expect(compareHelp).toContain('MAXPOOLBERT_REDIS_PASSWORD');
    const workerHelp = (await cli('worker', '--help')).stdout;
    for (const text of ['--concurrency N', '--name NAME', '--lock-seconds S', '--backend NAME', 'rediss://', 'MAXPOOLBERT_REDIS_PASSWORD', 'shared file system']) {
      expect(workerHelp).toContain(text);
    }
  });
});
