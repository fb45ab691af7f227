/**
 * Builds the connector image from the working tree, the way a user would, with the options a
 * machine behind a firewall needs (all read at run time, none stored in the repository):
 * - SAP_B1_DOCKER_BASE_IMAGE: a local base image instead of the Dockerfile's default
 *   (.ci/run builds a stand-in because Docker Hub is unreachable from CI);
 * - the npm registry that `npm config get registry` names;
 * - NODE_EXTRA_CA_CERTS, when set, as the `ca_cert` build secret (TLS-intercepting proxies).
 */
import { existsSync, readFileSync } from 'node:fs';
import { docker, firstLine, lastLines, run, type DockerAvailability } from './docker-cli.js';
import { repoPath, repoRoot } from './repo-files.js';

export const testImageTag = 'sap-b1-airbyte/source-sap-business-one:ci-test';

export interface BuiltImage {
  tag: string;
  /** The image the build started from, for size comparisons. */
  baseImage: string | undefined;
}

async function npmRegistry(): Promise<string | undefined> {
  const result = await run('npm', ['config', 'get', 'registry'], { timeoutMs: 30_000 });
  const registry = result.stdout.trim();
  return result.exitCode === 0 && /^https?:\/\//.test(registry) ? registry : undefined;
}

/** The image the build starts from: SAP_B1_DOCKER_BASE_IMAGE, else the Dockerfile's default. */
function baseImageName(): string {
  const fromEnvironment = process.env.SAP_B1_DOCKER_BASE_IMAGE;
  if (fromEnvironment) return fromEnvironment;
  const declared = /^ARG BASE_IMAGE=(\S+)/m.exec(readFileSync(repoPath('Dockerfile'), 'utf8'))?.[1];
  if (!declared) throw new Error('The Dockerfile declares no default BASE_IMAGE.');
  return declared;
}

/**
 * Whether the engine has the base image or can pull it. A machine with a Docker engine but no way
 * to the base image's registry (a firewall, no Docker Hub) lacks what the image tests need, as a
 * machine without Docker does: they are skipped with the reason, unless REQUIRE_DOCKER=1.
 */
export async function baseImageAvailability(cli: string): Promise<DockerAvailability> {
  const base = baseImageName();
  if ((await docker(cli, ['image', 'inspect', base], { timeoutMs: 30_000 })).exitCode === 0) return { ok: true, cli };
  const pull = await docker(cli, ['pull', base], { timeoutMs: 10 * 60_000 });
  if (pull.exitCode === 0) return { ok: true, cli };
  return {
    ok: false,
    reason: `the base image ${base} is not on this Docker engine and cannot be pulled (${firstLine(pull.stderr) || `exit ${pull.exitCode}`}); set SAP_B1_DOCKER_BASE_IMAGE to a local Node image`,
  };
}

export async function buildConnectorImage(cli: string): Promise<BuiltImage> {
  const baseImage = process.env.SAP_B1_DOCKER_BASE_IMAGE || undefined;
  const registry = await npmRegistry();
  const caFile = process.env.NODE_EXTRA_CA_CERTS;
  const args = ['build', '--tag', testImageTag, '--progress', 'plain'];
  // Host networking keeps the build working where the engine runs without a bridge (sandboxes);
  // it changes nothing in the image.
  args.push('--network', 'host');
  if (baseImage) args.push('--build-arg', `BASE_IMAGE=${baseImage}`);
  if (registry) args.push('--build-arg', `NPM_REGISTRY=${registry}`);
  if (caFile && existsSync(caFile)) args.push('--secret', `id=ca_cert,src=${caFile}`);
  args.push(repoRoot);

  const result = await docker(cli, args, { timeoutMs: 15 * 60_000 });
  if (result.exitCode !== 0) {
    throw new Error(`docker build failed (exit ${result.exitCode}):\n${lastLines(result.stderr + result.stdout, 60)}`);
  }
  return { tag: testImageTag, baseImage };
}
