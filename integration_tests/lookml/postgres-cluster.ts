/**
 * A throwaway PostgreSQL cluster for one test run: initdb into a temporary directory, started
 * with pg_ctl on a Unix socket inside that directory (no TCP port to collide with anything),
 * stopped and deleted at the end. Uses Debian's `postgresql` package binaries. initdb refuses
 * to run as root, so as root the cluster runs as the unprivileged `postgres` user.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresCluster {
  /** Directory of the server's Unix socket: the `host` for a pg client. */
  socketDir: string;
  port: number;
  user: string;
  connect(database?: string): Promise<pg.Client>;
  stop(): Promise<void>;
}

/** Where the server binaries are: $POSTGRES_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresBin(): string | undefined {
  const fromEnv = process.env.POSTGRES_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

export const MISSING_POSTGRES_MESSAGE =
  "PostgreSQL server binaries were not found (looked in $POSTGRES_BIN and /usr/lib/postgresql/<version>/bin); install Debian's `postgresql` package (.ci/run does on CI)";

async function uidGid(user: string): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', user]);
  const { stdout: gid } = await run('id', ['-g', user]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startPostgresCluster(bin: string): Promise<PostgresCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'lookml-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = 5432;
  const runAsServerUser = async (command: string, args: string[]) => {
    const [file, fileArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    return run(file, fileArgs, { timeout: 60_000 });
  };
  try {
    if (asRoot) {
      const { uid, gid } = await uidGid('postgres').catch(() => {
        throw new Error('Running as root, the PostgreSQL test needs the unprivileged `postgres` user (created by the postgresql package).');
      });
      chownSync(dir, uid, gid);
    }
    await runAsServerUser('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    const options = `-p ${port} -k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await runAsServerUser('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '30', 'start']);
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start a throwaway PostgreSQL cluster: ${(error as Error).message}${log ? `\nserver log:\n${log}` : ''}`);
  }
  let stopped = false;
  return {
    socketDir: dir,
    port,
    user: 'postgres',
    async connect(database = 'postgres') {
      const client = new pg.Client({ host: dir, port, user: 'postgres', database });
      await client.connect();
      return client;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await runAsServerUser('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
