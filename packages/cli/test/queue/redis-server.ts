/**
 * A real, throw-away redis-server for the queue tests: on a free loopback port, without
 * persistence (a restart empties it, as a Redis without `appendonly` would), stopped in afterAll
 * and, through a watchdog shell, also when the test process dies without cleaning up.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export interface TestRedis {
  port: number;
  /** redis://[:password@]127.0.0.1:port */
  url: string;
  /** Kills the server (SIGKILL: nothing is saved) and starts a new, empty one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Fails with what to install when redis-server is missing (CI installs it: scripts/install-system-deps.sh --test). */
export function requireRedisServer(): void {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error('redis-server not found: the distributed-compare tests need it (apt-get install redis-server, or bash scripts/install-system-deps.sh --test)');
  }
}

/** A port nothing listens on right now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers PING (with or without a password: NOAUTH is an answer too). */
async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(500, () => socket.destroy());
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (d) => {
        socket.destroy();
        resolve(/^(\+PONG|-NOAUTH)/.test(d.toString()));
      });
      socket.on('error', () => resolve(false));
      socket.on('close', () => resolve(false));
    });
    if (answered) return;
    if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(o: { password?: string } = {}): Promise<TestRedis> {
  requireRedisServer();
  const port = await freePort();
  let server: ChildProcess | undefined;
  let watchdog: ChildProcess | undefined;
  let log = '';
  const launch = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(o.password ? ['--requirepass', o.password] : [])];
    server = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    // Kills the server once this test process is gone, however it died.
    watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${server.pid} 2>/dev/null`], { stdio: 'ignore', detached: true });
    watchdog.unref();
    try {
      await waitForPing(port);
    } catch (err) {
      throw new Error(`${(err as Error).message}; its output: ${log}`);
    }
  };
  const kill = async () => {
    watchdog?.kill('SIGKILL');
    const s = server;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    const gone = new Promise((r) => s.once('exit', r));
    s.kill('SIGKILL');
    await gone;
  };
  await launch();
  return {
    port,
    url: `redis://${o.password ? `:${o.password}@` : ''}127.0.0.1:${port}`,
    async restart() {
      await kill();
      await launch();
    },
    stop: kill,
  };
}
