/**
 * The Docker CLI as the image tests use it: finds a CLI that can build with BuildKit, tells whether
 * an engine answers, and runs commands with their output captured.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type DockerAvailability = { ok: true; cli: string } | { ok: false; reason: string };

export async function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, {
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown; message: string };
    if (typeof failed.code === 'number') {
      return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', exitCode: failed.code };
    }
    // Not started, killed by the timeout or by a signal: there is no exit code to report.
    return { stdout: failed.stdout ?? '', stderr: `${failed.stderr ?? ''}\n${failed.message}`, exitCode: -1 };
  }
}

/**
 * Docker 23+ builds with BuildKit through the buildx plugin; older CLIs (e.g. Debian's docker.io
 * 20.10) have BuildKit built in and use it when DOCKER_BUILDKIT=1. A newer CLI without the plugin
 * can only use the deprecated builder, which cannot mount the CA certificate secret, so it is
 * passed over for another CLI on the machine.
 */
async function canBuildWithBuildKit(cli: string): Promise<boolean> {
  if ((await run(cli, ['buildx', 'version'], { timeoutMs: 20_000 })).exitCode === 0) return true;
  const version = await run(cli, ['version', '--format', '{{.Client.Version}}'], { timeoutMs: 20_000 });
  const major = Number.parseInt(version.stdout.trim(), 10);
  return version.exitCode === 0 && major >= 18 && major < 23;
}

export async function detectDocker(): Promise<DockerAvailability> {
  const candidates = [...new Set([process.env.DOCKER_CLI, 'docker', '/usr/bin/docker'].filter((c): c is string => !!c))];
  const reasons: string[] = [];
  for (const cli of candidates) {
    const server = await run(cli, ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
    if (server.exitCode !== 0) {
      reasons.push(`${cli}: ${firstLine(server.stderr) || 'no Docker engine answered'}`);
      continue;
    }
    if (!(await canBuildWithBuildKit(cli))) {
      reasons.push(`${cli}: cannot build with BuildKit (install the docker buildx plugin)`);
      continue;
    }
    return { ok: true, cli };
  }
  return { ok: false, reason: `no usable Docker engine: ${reasons.join('; ')}` };
}

export function docker(cli: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<CommandResult> {
  return run(cli, args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, ...options });
}

/** Starts a long-running docker command (e.g. a `docker run` that a test stops later). */
export function spawnDocker(cli: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(cli, args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
