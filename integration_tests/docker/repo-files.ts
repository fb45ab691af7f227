/**
 * The repository files the image must agree with: metadata.yaml, package.json, schemas/spec.json
 * and the Dockerfile's own declarations.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function repoPath(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

export interface ConnectorMetadata {
  metadataSpecVersion: string;
  data: {
    name: string;
    definitionId: string;
    connectorType: string;
    connectorSubtype: string;
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl: string;
    githubIssueLabel: string;
    license: string;
    releaseStage: string;
    supportLevel: string;
    tags: string[];
    allowedHosts: { hosts: string[] };
    connectorBuildOptions?: { baseImage?: string };
  } & Record<string, unknown>;
}

export function readMetadata(): ConnectorMetadata {
  return loadYaml(readFileSync(repoPath('metadata.yaml'), 'utf8')) as ConnectorMetadata;
}

export function readPackageJson(): { version: string; license: string } {
  return JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string; license: string };
}

export interface SpecFile {
  documentationUrl: string;
  connectionSpecification: Record<string, unknown>;
}

export function readSpec(): SpecFile {
  return JSON.parse(readFileSync(repoPath('schemas', 'spec.json'), 'utf8')) as SpecFile;
}

export interface DockerfileDeclarations {
  /** Default of `ARG BASE_IMAGE`. */
  baseImage: string;
  /** The final stage's ENTRYPOINT, exec form. */
  entrypoint: string[];
  /** The final stage's `ENV AIRBYTE_ENTRYPOINT`. */
  airbyteEntrypoint: string;
  labels: Record<string, string>;
}

/** Reads what the image is declared to be, for checks that need no Docker engine. */
export function readDockerfile(): DockerfileDeclarations {
  const text = readFileSync(repoPath('Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((line) => !line.trimStart().startsWith('#'));
  const find = (pattern: RegExp): RegExpMatchArray | undefined => {
    for (const line of lines) {
      const match = line.match(pattern);
      if (match) return match;
    }
    return undefined;
  };
  const labels: Record<string, string> = {};
  for (const line of lines) {
    const match = line.match(/^LABEL\s+([\w.-]+)="([^"]*)"\s*$/);
    if (match?.[1] && match[2] !== undefined) labels[match[1]] = match[2];
  }
  return {
    baseImage: find(/^ARG BASE_IMAGE=(\S+)/)?.[1] ?? '',
    entrypoint: JSON.parse(find(/^ENTRYPOINT\s+(\[.*\])\s*$/)?.[1] ?? '[]') as string[],
    airbyteEntrypoint: find(/^ENV AIRBYTE_ENTRYPOINT="([^"]*)"/)?.[1] ?? '',
    labels,
  };
}

interface LockedPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * Install paths (`node_modules/x`, `node_modules/x/node_modules/y`) of what `npm ci --omit=dev`
 * installs for the connector: the closure of the root package's dependencies in package-lock.json,
 * resolved the way Node looks modules up. The lock's own `dev` flags cannot say this: the
 * simulator workspaces count as production dependants, but the image is built without them.
 */
export function productionInstallPaths(): Set<string> {
  const lock = JSON.parse(readFileSync(repoPath('package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
      const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
      if (lock.packages[candidate] !== undefined) return candidate;
      if (dir === '') return undefined;
    }
  };
  const found = new Set<string>();
  const visit = (from: string): void => {
    const entry = lock.packages[from] ?? {};
    for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const path = resolve(from, name);
      if (path === undefined || found.has(path)) continue;
      found.add(path);
      visit(path);
    }
  };
  visit('');
  return found;
}
