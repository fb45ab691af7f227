/**
 * npm run simulator -- --port P [--tls] [--dialect v1|v2] [--scale N] [--latency-ms N] [--seed N] [--workers N] ...
 *
 * Starts the Service Layer simulator, prints one line with its base URL, company database, user and password,
 * and serves until SIGINT or SIGTERM. With --tls the self-signed certificate is written to --cert-out (default
 * a file in the system temp folder) and its path printed on a second line.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { startServiceLayerSimulator } from './index.js';

const CLI_LOGIN_DELAY_MS = 1000;

async function main(): Promise<void> {
  const argv = await yargs(hideBin(process.argv))
    .scriptName('npm run simulator --')
    .usage('$0 [options]\n\nA simulated SAP Business One Service Layer with a food distributor company in it.')
    .option('port', { type: 'number', default: 50000, describe: 'TCP port (0 = any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
    .option('tls', { type: 'boolean', default: false, describe: 'Serve HTTPS with a self-signed certificate made at start' })
    .option('cert-out', { type: 'string', describe: 'Where to write the certificate PEM with --tls' })
    .option('dialect', { choices: ['v1', 'v2'] as const, default: 'v2' as const, describe: 'Service root printed: /b1s/v1 (OData v3) or /b1s/v2 (OData v4); both are served' })
    .option('scale', { type: 'number', default: 1, describe: 'Data volume; 1 is about 2000 invoices, grows linearly' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of the generated company' })
    .option('latency-ms', { type: 'number', default: 0, describe: 'Network delay added to every request (holds no worker)' })
    .option('login-delay-ms', { type: 'number', default: CLI_LOGIN_DELAY_MS, describe: 'Extra delay of Login, holding no worker (real logins take seconds)' })
    .option('workers', { type: 'number', describe: 'Worker processes shared by all sessions (default: no limit)' })
    .option('request-cost-ms', { type: 'number', default: 0, describe: 'Work of every request on its worker' })
    .option('record-cost-micros', { type: 'number', default: 0, describe: 'Work per record serialised into an answer (microseconds)' })
    .option('login-cost-ms', { type: 'number', default: 0, describe: 'Work of a Login on its worker, on top of --request-cost-ms' })
    .option('session-timeout-minutes', { type: 'number', default: 30, describe: 'Idle timeout of sessions' })
    .option('clock-start', { type: 'string', describe: "Company-local start of the clock, 'YYYY-MM-DDTHH:MM:SS' (default: the library's fixed date)" })
    .option('clock-mode', { choices: ['running', 'frozen'] as const, default: 'running' as const, describe: 'Whether the server clock follows real time' })
    .option('utc-offset-minutes', { type: 'number', default: 0, describe: 'Company time zone against UTC' })
    .option('company-db', { type: 'string', describe: 'CompanyDB to accept' })
    .option('username', { type: 'string', describe: 'UserName to accept' })
    .option('password', { type: 'string', describe: 'Password to accept' })
    .strict()
    .help()
    .parseAsync();

  const sim = await startServiceLayerSimulator({
    port: argv.port,
    host: argv.host,
    tls: argv.tls,
    dialect: argv.dialect,
    scale: argv.scale,
    seed: argv.seed,
    latencyMs: argv['latency-ms'],
    loginDelayMs: argv['login-delay-ms'],
    workers: argv.workers,
    requestCostMs: argv['request-cost-ms'],
    recordCostMicros: argv['record-cost-micros'],
    loginCostMs: argv['login-cost-ms'],
    sessionTimeoutMinutes: argv['session-timeout-minutes'],
    clockStart: argv['clock-start'],
    clockMode: argv['clock-mode'],
    utcOffsetMinutes: argv['utc-offset-minutes'],
    companyDb: argv['company-db'],
    username: argv.username,
    password: argv.password,
  });
  console.log(`Service Layer simulator ready: ${sim.baseUrl} CompanyDB=${sim.companyDb} UserName=${sim.username} Password=${sim.password}`);
  if (sim.certificatePem) {
    const certPath = resolve(argv['cert-out'] ?? join(tmpdir(), `service-layer-simulator-${process.pid}.pem`));
    writeFileSync(certPath, sim.certificatePem);
    console.log(`Certificate (PEM): ${certPath}`);
  }

  const shutdown = (signal: string) => {
    console.error(`Received ${signal}, stopping the simulator.`);
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`Service Layer simulator could not start: ${message}`);
  process.exit(1);
});
