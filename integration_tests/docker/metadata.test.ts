/**
 * metadata.yaml and the Dockerfile agree with each other and with what Airbyte's metadata service
 * requires (ConnectorMetadataDefinitionV0). Needs no Docker engine; the built image is checked
 * against the same files in image.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { productionInstallPaths, readDockerfile, readMetadata, readPackageJson, readSpec, repoPath } from './repo-files.js';

const metadata = readMetadata();
const dockerfile = readDockerfile();

/** Walks a dot path (as Airbyte's allowedHosts variables use) through the spec, into oneOf branches. */
function specHasProperty(schema: Record<string, unknown>, path: string[]): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return true;
  const candidates = [schema, ...((schema.oneOf as Record<string, unknown>[] | undefined) ?? [])];
  return candidates.some((candidate) => {
    const property = (candidate.properties as Record<string, Record<string, unknown>> | undefined)?.[head];
    return property !== undefined && specHasProperty(property, rest);
  });
}

describe('metadata.yaml', () => {
  test('has the fields Airbyte requires, with values from its enums', () => {
    assert.equal(metadata.metadataSpecVersion, '1.0');
    const data = metadata.data;
    assert.equal(data.name, 'SAP Business One');
    assert.match(data.definitionId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(data.connectorType, 'source');
    assert.equal(data.connectorSubtype, 'api');
    assert.match(data.dockerRepository, /^[a-z0-9]+([._-][a-z0-9]+)*\/[a-z0-9]+([._-][a-z0-9]+)*$/);
    assert.doesNotMatch(data.dockerRepository, /^airbyte\//, 'airbyte/ is reserved for official connectors');
    assert.match(data.githubIssueLabel, /^source-/);
    assert.equal(data.releaseStage, 'alpha');
    assert.equal(data.supportLevel, 'community');
    assert.ok(data.tags.includes('language:typescript'));
  });

  test('dockerImageTag is the package version and license the package license', () => {
    const pkg = readPackageJson();
    assert.equal(metadata.data.dockerImageTag, pkg.version);
    assert.equal(metadata.data.license, pkg.license);
  });

  test('documentationUrl is the one the spec advertises', () => {
    assert.equal(metadata.data.documentationUrl, readSpec().documentationUrl);
  });

  test('allowedHosts only names configuration fields that exist, the Service Layer URL first', () => {
    const hosts = metadata.data.allowedHosts.hosts;
    assert.equal(hosts[0], '${service_layer_url}');
    const connectionSpecification = readSpec().connectionSpecification;
    for (const host of hosts) {
      const variable = host.match(/^\$\{([\w.]+)\}$/);
      assert.ok(variable?.[1], `${host} is not a \${config.path} variable: the host is customer-specific`);
      assert.ok(
        specHasProperty(connectionSpecification, variable[1].split('.')),
        `${host} names no property of schemas/spec.json`,
      );
    }
  });
});

describe('Dockerfile', () => {
  test('labels io.airbyte.name and io.airbyte.version are dockerRepository and dockerImageTag', () => {
    assert.equal(dockerfile.labels['io.airbyte.name'], metadata.data.dockerRepository);
    assert.equal(dockerfile.labels['io.airbyte.version'], metadata.data.dockerImageTag);
  });

  test('AIRBYTE_ENTRYPOINT is the ENTRYPOINT joined by spaces', () => {
    assert.ok(dockerfile.airbyteEntrypoint.length > 0);
    assert.equal(dockerfile.airbyteEntrypoint, dockerfile.entrypoint.join(' '));
  });

  test('defaults to the slim image of Node 26, the Active LTS line', () => {
    // Node 26 became Active LTS on 2026-10-28; 24 is in maintenance and 20 is end-of-life.
    assert.match(dockerfile.baseImage, /^node:26-[a-z]+-slim$/);
    assert.equal(metadata.data.connectorBuildOptions, undefined, 'see the comment in metadata.yaml');
  });

  test('installs without the simulator workspaces, which are not in the build context', () => {
    const installs = readFileSync(repoPath('Dockerfile'), 'utf8').match(/^\s*npm ci .*$/gm) ?? [];
    assert.equal(installs.length, 2);
    for (const install of installs) assert.match(install, /--workspaces=false/);
    const production = productionInstallPaths();
    for (const runtime of ['undici', 'ajv', 'yargs', 'split2', 'fast-xml-parser']) assert.ok(production.has(`node_modules/${runtime}`), runtime);
    for (const path of production) assert.doesNotMatch(path, /@sap-b1-airbyte|selfsigned|typescript|tsx/, 'a simulator or dev tool among the production dependencies');
  });
});
