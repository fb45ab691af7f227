/**
 * Builds the connector image from the working tree, the way a user would, with the options a
 * machine behind a firewall needs (all read at run time, none stored in the repository):
 * - SAP_B1_DOCKER_BASE_IMAGE: a local base image instead of the Dockerfile's default
 *   (.ci/run builds a stand-in because Docker Hub is unreachable from CI);
 * - the npm registry that `npm config get registry` names;
 * - NODE_EXTRA_CA_CERTS, when set, as the `ca_cert` build secret (TLS-intercepting proxies).
 */
import { existsSync } from 'node:fs';
import { docker, lastLines, run } from './docker-cli.js';
import { repoRoot } from './repo-files.js';

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
