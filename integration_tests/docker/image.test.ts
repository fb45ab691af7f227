/**
 * The connector image, built from the working tree and run as Airbyte runs it. Skips when no
 * Docker engine answers, unless REQUIRE_DOCKER=1 (set by .ci/run), which turns that into a failure.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAirbyteOutput, type AirbyteMessageLike } from '../../test/helpers/protocol.js';
import { jsonFile, runConnector } from '../../test/helpers/connector.js';
import { assertNoSecrets } from '../../test/helpers/protocol.js';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';
import { detectDocker, docker, type CommandResult } from './docker-cli.js';
import { baseImageAvailability, buildConnectorImage, type BuiltImage } from './build-image.js';
import {
  containerName,
  envOf,
  inspectImage,
  mountFiles,
  pid1CommandLine,
  pid1Environment,
  removeContainer,
  runAttached,
  runImage,
  type ImageConfig,
} from './containers.js';
import { productionInstallPaths, readMetadata, readPackageJson, readSpec, repoPath } from './repo-files.js';
import { configureStreams } from '../../test/helpers/catalog.js';
import { requirement } from '../../test/helpers/requirements.js';
import { startSilentListener } from '../../test/helpers/unreachable.js';

const engine = await detectDocker();
const availability = engine.ok ? await baseImageAvailability(engine.cli) : engine;
const dockerEngine = requirement('REQUIRE_DOCKER', availability.ok ? undefined : availability.reason);

/** Extra size the connector may add on top of its base image (dist, schemas, production deps). */
const maxAddedBytes = 40 * 1024 * 1024;

/** Record counts per stream: what the image and the host entrypoint must agree on. */
function recordCountsByStream(messages: AirbyteMessageLike[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of messagesOfType(messages, 'RECORD')) {
    const stream = (message.record as { stream: string }).stream;
    counts[stream] = (counts[stream] ?? 0) + 1;
  }
  return counts;
}

interface DiscoveredStream {
  name: string;
  json_schema: Record<string, unknown>;
  supported_sync_modes: string[];
  source_defined_primary_key?: string[][];
  default_cursor_field?: string[];
}

function messagesOfType(messages: AirbyteMessageLike[], type: string): AirbyteMessageLike[] {
  return messages.filter((message) => message.type === type);
}

describe('Docker image', { skip: dockerEngine.skip, timeout: 30 * 60_000 }, () => {
  let cli = '';
  let image: BuiltImage;
  let imageConfig: ImageConfig;

  before(async () => {
    dockerEngine.assertAvailable();
    cli = availability.ok ? availability.cli : '';
    image = await buildConnectorImage(cli);
    imageConfig = (await inspectImage(cli, image.tag)).config;
  });

  describe('what Airbyte reads from the image', () => {
    test('`docker run --rm IMAGE spec` prints one valid SPEC message, equal to schemas/spec.json', async () => {
      const result = await runImage(cli, image.tag, [], ['spec']);
      assert.equal(result.exitCode, 0, result.stderr);
      const messages = parseAirbyteOutput(result.stdout);
      const specs = messagesOfType(messages, 'SPEC');
      assert.equal(specs.length, 1, `expected one SPEC message, got ${messages.map((m) => m.type).join(', ')}`);
      // Airbyte's acceptance suite: the spec equals the one in the repository.
      assert.deepEqual(specs[0]?.spec, readSpec());
    });

    test("Airbyte's way of starting it, /bin/sh evaluating AIRBYTE_ENTRYPOINT, gives the same spec", async () => {
      const direct = await runImage(cli, image.tag, [], ['spec']);
      const viaShell = await runImage(cli, image.tag, ['--entrypoint', '/bin/sh'], ['-c', 'eval "$AIRBYTE_ENTRYPOINT spec"']);
      assert.equal(viaShell.exitCode, 0, viaShell.stderr);
      assert.equal(viaShell.stdout, direct.stdout);
    });

    test('AIRBYTE_ENTRYPOINT equals the space-joined ENTRYPOINT (acceptance suite test_docker_env)', () => {
      const env = envOf(imageConfig);
      assert.ok(env.AIRBYTE_ENTRYPOINT, 'AIRBYTE_ENTRYPOINT must be set');
      assert.equal(env.AIRBYTE_ENTRYPOINT, (imageConfig.Entrypoint ?? []).join(' '));
    });

    test('labels io.airbyte.name and io.airbyte.version equal metadata.yaml and package.json', () => {
      const metadata = readMetadata();
      const labels = imageConfig.Labels ?? {};
      assert.equal(labels['io.airbyte.name'], metadata.data.dockerRepository);
      assert.equal(labels['io.airbyte.version'], metadata.data.dockerImageTag);
      assert.equal(labels['io.airbyte.version'], readPackageJson().version);
    });

    test('runs as a non-root user', async () => {
      assert.ok(!['', 'root', '0', '0:0'].includes(imageConfig.User), `USER is '${imageConfig.User}'`);
      const id = await runImage(cli, image.tag, ['--entrypoint', 'id'], ['-u']);
      assert.equal(id.exitCode, 0, id.stderr);
      assert.notEqual(id.stdout.trim(), '0');
    });

    test('ships only dist/, schemas/, package.json and production dependencies', async (t) => {
      const listing = await runImage(cli, image.tag, ['--entrypoint', '/bin/sh'], ['-c', 'ls -A /app; echo ---; ls -A /app/node_modules']);
      assert.equal(listing.exitCode, 0, listing.stderr);
      const [appEntries = '', modules = ''] = listing.stdout.split('---\n');
      assert.deepEqual(appEntries.trim().split('\n').sort(), ['dist', 'entrypoint.sh', 'node_modules', 'package.json', 'schemas']);
      const installed = new Set(modules.trim().split('\n'));
      const production = productionInstallPaths();
      const lock = JSON.parse(readFileSync(repoPath('package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
      for (const path of Object.keys(lock.packages)) {
        const match = path.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)$/);
        if (!match?.[1]) continue;
        const scopeOrName = match[1].split('/')[0] ?? '';
        if (!production.has(path)) {
          if (!match[1].startsWith('@')) assert.ok(!installed.has(match[1]), `dev dependency ${match[1]} is in the image`);
        } else {
          assert.ok(installed.has(scopeOrName), `production dependency ${match[1]} is missing from the image`);
        }
      }
      assert.ok(!installed.has('@sap-b1-airbyte'), 'the simulator workspaces are in the image');
      const { sizeBytes } = await inspectImage(cli, image.tag);
      const baseSize = (await inspectImage(cli, image.baseImage ?? 'node:26-bookworm-slim')).sizeBytes;
      t.diagnostic(`image ${(sizeBytes / 1e6).toFixed(1)} MB, of which ${((sizeBytes - baseSize) / 1e6).toFixed(1)} MB on top of the base image`);
      assert.ok(sizeBytes - baseSize < maxAddedBytes, `the connector adds ${sizeBytes - baseSize} bytes to its base image`);
    });
  });

  describe('against the Service Layer simulator (host network)', () => {
    let simulator: ServiceLayerSimulator;
    let config: Record<string, unknown>;
    let configFile = '';
    let catalogFile = '';
    let discovered: CommandResult;

    before(async () => {
      simulator = await startServiceLayerSimulator({ seed: 4, scale: 0.05 });
      config = {
        service_layer_url: simulator.baseUrl,
        credentials: {
          auth_type: 'session_login',
          company_db: simulator.companyDb,
          username: simulator.username,
          password: simulator.password,
        },
        start_date: '2000-01-01',
        page_size: 100,
      };
      configFile = jsonFile('docker-config', config);
      // The read and stop tests need a catalog; it comes from the image's own discover.
      discovered = await runWithFiles({ config: configFile }, (p) => ['discover', '--config', p.config ?? '']);
      const catalog = parseAirbyteOutput(discovered.stdout).find((message) => message.type === 'CATALOG');
      if (!catalog) throw new Error(`discover printed no CATALOG (exit ${discovered.exitCode}): ${discovered.stderr.slice(-2000)}`);
      catalogFile = jsonFile('docker-catalog', configureStreams((catalog.catalog as { streams: DiscoveredStream[] }).streams));
    });
    after(async () => simulator?.stop());

    function runWithFiles(files: Record<string, string>, command: (paths: Record<string, string>) => string[]) {
      const mounts = mountFiles(files);
      return runImage(cli, image.tag, ['--network', 'host', ...mounts.args], command(mounts.paths));
    }

    function noSecretsIn(result: { stdout: string; stderr: string }, what: string): void {
      assertNoSecrets(result.stdout, [simulator.password], `stdout of ${what}`);
      assertNoSecrets(result.stderr, [simulator.password], `stderr of ${what}`);
    }

    test('check with a mounted config: exactly one CONNECTION_STATUS, SUCCEEDED', async () => {
      const result = await runWithFiles({ config: configFile }, (p) => ['check', '--config', p.config ?? '']);
      noSecretsIn(result, 'check');
      assert.equal(result.exitCode, 0, result.stderr);
      const statuses = messagesOfType(parseAirbyteOutput(result.stdout), 'CONNECTION_STATUS');
      assert.equal(statuses.length, 1);
      assert.equal((statuses[0]?.connectionStatus as { status: string }).status, 'SUCCEEDED');
    });

    test('check with a wrong password: one CONNECTION_STATUS, FAILED, exit 0', async () => {
      const wrong = jsonFile('docker-wrong-password', {
        ...config,
        credentials: { ...(config.credentials as object), password: 'wrong-password-for-test' },
      });
      const result = await runWithFiles({ config: wrong }, (p) => ['check', '--config', p.config ?? '']);
      noSecretsIn(result, 'check');
      assertNoSecrets(result.stdout + result.stderr, ['wrong-password-for-test'], 'the output of check');
      assert.equal(result.exitCode, 0, result.stderr);
      const statuses = messagesOfType(parseAirbyteOutput(result.stdout), 'CONNECTION_STATUS');
      assert.equal(statuses.length, 1);
      assert.equal((statuses[0]?.connectionStatus as { status: string }).status, 'FAILED');
    });

    test('a config at mode 600 the container user cannot read: one config_error TRACE that says uid 1000 and how to fix it', async (t) => {
      // As root the file is root's; otherwise it is this user's, which must then not be uid 1000.
      if (process.getuid?.() === 1000) return t.skip('the test runs as uid 1000, the image user: its own files are readable in the container');
      const secretFile = jsonFile('docker-private-config', config);
      chmodSync(secretFile, 0o600);
      const containerPath = '/data/private-config.json';
      const result = await runImage(cli, image.tag, ['--network', 'host', '--volume', `${secretFile}:${containerPath}:ro`], [
        'discover',
        '--config',
        containerPath,
      ]);
      noSecretsIn(result, 'discover');
      assert.equal(result.exitCode, 1);
      const messages = parseAirbyteOutput(result.stdout);
      const errors = messagesOfType(messages, 'TRACE').map((m) => (m.trace as { error?: { failure_type: string; message: string } }).error);
      assert.equal(errors.length, 1, result.stdout);
      assert.equal(errors[0]?.failure_type, 'config_error');
      assert.match(errors[0]?.message ?? '', /permission denied.*mode 600.*container runs as uid 1000 \(user node\).*chmod 644.*docker run --user "\$\(id -u\)"/);
      assert.doesNotMatch(result.stderr, /at .*\(.*\.js:\d+/, 'no stack trace');
    });

    test('discover with a mounted config: exactly one CATALOG, with streams', () => {
      noSecretsIn(discovered, 'discover');
      assert.equal(discovered.exitCode, 0, discovered.stderr);
      const catalogs = messagesOfType(parseAirbyteOutput(discovered.stdout), 'CATALOG');
      assert.equal(catalogs.length, 1);
      assert.ok((catalogs[0]?.catalog as { streams: DiscoveredStream[] }).streams.length > 0);
    });

    test('read with mounted config and catalog: records and states, the same counts as node dist/main.js', async (t) => {
      const inImage = await runWithFiles({ config: configFile, catalog: catalogFile }, (p) => [
        'read',
        '--config',
        p.config ?? '',
        '--catalog',
        p.catalog ?? '',
      ]);
      noSecretsIn(inImage, 'read');
      assert.equal(inImage.exitCode, 0, inImage.stderr.slice(-3000));
      const imageMessages = parseAirbyteOutput(inImage.stdout);
      assert.ok(messagesOfType(imageMessages, 'STATE').length > 0, 'the read emitted no STATE');

      const onHost = await runConnector(['read', '--config', configFile, '--catalog', catalogFile], {
        secrets: [simulator.password],
        timeoutMs: 300_000,
      });
      assert.equal(onHost.code, 0, onHost.stderr.slice(-3000));

      const imageCounts = recordCountsByStream(imageMessages);
      t.diagnostic(`records per stream: ${JSON.stringify(imageCounts)}`);
      assert.ok(Object.keys(imageCounts).length > 0, 'the read emitted no records');
      assert.deepEqual(imageCounts, recordCountsByStream(onHost.messages));
    });

    test('`docker stop` during a read: SIGTERM reaches node, only whole lines on stdout, session logged out', async () => {
      const slow = await startServiceLayerSimulator({ seed: 5, scale: 0.2, latencyMs: 40 });
      const slowConfig = jsonFile('docker-slow-config', {
        ...config,
        service_layer_url: slow.baseUrl,
        credentials: { ...(config.credentials as object), company_db: slow.companyDb, username: slow.username, password: slow.password },
        page_size: 20,
      });
      const name = containerName('stop');
      const mounts = mountFiles({ config: slowConfig, catalog: catalogFile });
      try {
        const running = runAttached(
          cli,
          image.tag,
          ['--name', name, '--network', 'host', ...mounts.args],
          ['read', '--config', mounts.paths.config ?? '', '--catalog', mounts.paths.catalog ?? ''],
        );
        await running.waitForLine((line) => line.includes('"type":"RECORD"'), 120_000);
        // Docker's default grace period: SIGTERM, then SIGKILL after 10 seconds.
        const stop = await docker(cli, ['stop', '--time', '10', name]);
        assert.equal(stop.exitCode, 0, stop.stderr);
        const { exitCode, stdout, stderr } = await running.finished;
        // 143 = 128 + SIGTERM: the connector stopped itself; 137 would mean docker had to SIGKILL it.
        assert.equal(exitCode, 143, `exit code ${exitCode}; stderr: ${stderr.slice(-2000)}`);
        assert.ok(stdout.endsWith('\n'), 'stdout ends inside a line');
        const messages = parseAirbyteOutput(stdout);
        assert.ok(messagesOfType(messages, 'RECORD').length > 0);
        assertNoSecrets(stdout + stderr, [slow.password], 'the output of the stopped read');
        assert.equal(slow.stats.logouts, slow.stats.logins, 'every session was logged out');
        assert.equal(slow.stats.activeSessions, 0);
      } finally {
        await removeContainer(cli, name);
        await slow.stop();
      }
    });
  });

  describe('heap sized to the container memory limit', () => {
    let silent: Awaited<ReturnType<typeof startSilentListener>>;
    let configFile = '';

    before(async () => {
      // Accepts connections and never answers: keeps a connector waiting, so its container stays up.
      silent = await startSilentListener();
      configFile = jsonFile('hanging-config', {
        service_layer_url: `http://127.0.0.1:${silent.port}/b1s/v2`,
        credentials: { auth_type: 'session_login', company_db: 'SBODEMOUS', username: 'manager', password: 'not-used' },
        request_timeout_seconds: 300,
      });
    });
    after(async () => silent?.close());

    /** Starts `check` against the silent server and returns node's command line while it waits. */
    async function nodeCommandLine(runArgs: string[]): Promise<string[]> {
      return (await nodeProcess(runArgs)).commandLine;
    }

    /** Starts `check` against the silent server and returns node's command line and environment while it waits. */
    async function nodeProcess(runArgs: string[]): Promise<{ commandLine: string[]; environment: string[] }> {
      const name = containerName('heap');
      const mounts = mountFiles({ config: configFile });
      try {
        const started = await runImage(
          cli,
          image.tag,
          ['--detach', '--name', name, '--network', 'host', ...mounts.args, ...runArgs],
          ['check', '--config', mounts.paths.config ?? ''],
        );
        assert.equal(started.exitCode, 0, started.stderr);
        return { commandLine: await pid1CommandLine(cli, name), environment: await pid1Environment(cli, name) };
      } finally {
        await removeContainer(cli, name);
      }
    }

    test('cgroup v1 or v2 limit of the engine: 75% of --memory, and a young generation for a small footprint', async () => {
      const commandLine = await nodeCommandLine(['--memory', '256m']);
      // exec in the entrypoint: node itself is PID 1, so SIGTERM reaches it.
      assert.equal(commandLine[0], 'node');
      assert.ok(commandLine.includes('--max-old-space-size=192'), commandLine.join(' '));
      assert.ok(commandLine.includes('--max-semi-space-size=4'), commandLine.join(' '));
      assert.ok(commandLine.includes('/app/dist/main.js'), commandLine.join(' '));
    });

    test("glibc's threshold for mapping large blocks of their own is fixed, unless the operator sets it", async () => {
      assert.ok((await nodeProcess([])).environment.includes('MALLOC_MMAP_THRESHOLD_=131072'));
      const chosen = await nodeProcess(['--env', 'MALLOC_MMAP_THRESHOLD_=65536']);
      assert.ok(chosen.environment.includes('MALLOC_MMAP_THRESHOLD_=65536'), chosen.environment.join(' '));
      assert.ok(!chosen.environment.includes('MALLOC_MMAP_THRESHOLD_=131072'));
    });

    test('cgroup v2 memory.max', async () => {
      const fakeCgroup = mkdtempSync(join(tmpdir(), 'sap-b1-cgroup-'));
      chmodSync(fakeCgroup, 0o755); // the image's unprivileged user must read it, as the real one
      writeFileSync(join(fakeCgroup, 'memory.max'), '536870912\n');
      const commandLine = await nodeCommandLine(['--volume', `${fakeCgroup}:/sys/fs/cgroup:ro`]);
      assert.ok(commandLine.includes('--max-old-space-size=384'), commandLine.join(' '));

      // A large limit: the heap stays at the connector's own cap.
      writeFileSync(join(fakeCgroup, 'memory.max'), `${4 * 1024 ** 3}\n`);
      const large = await nodeCommandLine(['--volume', `${fakeCgroup}:/sys/fs/cgroup:ro`]);
      assert.ok(large.includes('--max-old-space-size=512'), large.join(' '));

      writeFileSync(join(fakeCgroup, 'memory.max'), 'max\n');
      const unlimited = await nodeCommandLine(['--volume', `${fakeCgroup}:/sys/fs/cgroup:ro`]);
      assert.ok(unlimited.includes('--max-old-space-size=512'), unlimited.join(' '));
    });

    test("no limit: the connector's own cap of 512 MB", async () => {
      const commandLine = await nodeCommandLine([]);
      assert.ok(commandLine.includes('--max-old-space-size=512'), commandLine.join(' '));
    });

    test("an operator's --max-old-space-size or --max-semi-space-size in NODE_OPTIONS wins", async () => {
      const commandLine = await nodeCommandLine(['--memory', '256m', '--env', 'NODE_OPTIONS=--max-old-space-size=100 --max-semi-space-size=16']);
      assert.ok(!commandLine.some((arg) => arg.startsWith('--max-old-space-size') || arg.startsWith('--max-semi-space-size')), commandLine.join(' '));
    });
  });
});
