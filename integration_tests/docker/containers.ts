/**
 * Running the connector image the way Airbyte and schedulers do: files mounted read-only, host
 * network to reach a simulator on loopback, and containers that tests inspect or stop midway.
 */
import { chmodSync } from 'node:fs';
import { basename } from 'node:path';
import { docker, spawnDocker, type CommandResult } from './docker-cli.js';

let containerCounter = 0;

/** A name that cannot collide with another test run on the same engine. */
export function containerName(purpose: string): string {
  return `sap-b1-test-${process.pid}-${++containerCounter}-${purpose}`;
}

/**
 * `-v host:/data/<name>:ro` for each file. Single files, so that the host directory's mode does
 * not matter; each is made world-readable because the image runs as uid 1000, not as the owner.
 */
export function mountFiles(files: Record<string, string>): { args: string[]; paths: Record<string, string> } {
  const args: string[] = [];
  const paths: Record<string, string> = {};
  for (const [key, hostPath] of Object.entries(files)) {
    const containerPath = `/data/${key}-${basename(hostPath)}`;
    chmodSync(hostPath, 0o644);
    args.push('--volume', `${hostPath}:${containerPath}:ro`);
    paths[key] = containerPath;
  }
  return { args, paths };
}

export function runImage(
  cli: string,
  image: string,
  runArgs: readonly string[],
  command: readonly string[],
  timeoutMs = 180_000,
): Promise<CommandResult> {
  return docker(cli, ['run', '--rm', ...runArgs, image, ...command], { timeoutMs });
}

export interface ImageConfig {
  User: string;
  Env: string[] | null;
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  Labels: Record<string, string> | null;
  WorkingDir: string;
}

export async function inspectImage(cli: string, image: string): Promise<{ config: ImageConfig; sizeBytes: number }> {
  const result = await docker(cli, ['image', 'inspect', '--format', '{{json .Config}}\t{{.Size}}', image]);
  if (result.exitCode !== 0) throw new Error(`docker image inspect ${image} failed: ${result.stderr}`);
  const [config, size] = result.stdout.trim().split('\t');
  return { config: JSON.parse(config ?? '{}') as ImageConfig, sizeBytes: Number(size) };
}

export function envOf(config: ImageConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of config.Env ?? []) {
    const at = entry.indexOf('=');
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

export async function removeContainer(cli: string, name: string): Promise<void> {
  await docker(cli, ['rm', '--force', '--volumes', name], { timeoutMs: 60_000 });
}

/** The command line of the container's PID 1, waiting for the container to be up. */
export async function pid1CommandLine(cli: string, name: string, timeoutMs = 30_000): Promise<string[]> {
  return pid1Strings(cli, name, 'cmdline', timeoutMs);
}

/** The environment of the container's PID 1, as NAME=value strings. */
export async function pid1Environment(cli: string, name: string, timeoutMs = 30_000): Promise<string[]> {
  return pid1Strings(cli, name, 'environ', timeoutMs);
}

async function pid1Strings(cli: string, name: string, file: 'cmdline' | 'environ', timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last: CommandResult | undefined;
  while (Date.now() < deadline) {
    last = await docker(cli, ['exec', name, 'cat', `/proc/1/${file}`], { timeoutMs: 20_000 });
    if (last.exitCode === 0 && last.stdout.length > 0) return last.stdout.split('\0').filter((part) => part !== '');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`container ${name} did not stay up to be inspected: ${last?.stderr ?? ''}`);
}

export interface AttachedRun {
  /** Resolves when `docker run` returns, with everything the container printed. */
  finished: Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
  /** Resolves once stdout holds a line for which the predicate holds. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs: number): Promise<void>;
}

/** `docker run` attached to stdout and stderr, for tests that act while the container runs. */
export function runAttached(cli: string, image: string, runArgs: readonly string[], command: readonly string[]): AttachedRun {
  const child = spawnDocker(cli, ['run', ...runArgs, image, ...command]);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  const waiters: { predicate: (line: string) => boolean; resolve: () => void }[] = [];
  const settleWaiters = () => {
    const lines = stdout.split('\n').slice(0, -1);
    for (const waiter of [...waiters]) {
      if (lines.some(waiter.predicate)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    settleWaiters();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const finished = new Promise<{ exitCode: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
  return {
    finished,
    waitForLine(predicate, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching stdout line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`)),
          timeoutMs,
        );
        const waiter = { predicate, resolve: () => (clearTimeout(timer), resolve()) };
        waiters.push(waiter);
        settleWaiters();
        void finished.then(() => {
          if (waiters.includes(waiter)) {
            clearTimeout(timer);
            reject(new Error(`the container ended before a matching line; stderr: ${stderr.slice(-2000)}`));
          }
        });
      });
    },
  };
}
