#!/usr/bin/env node
/**
 * The connector's command line. Parses arguments, runs one command, and turns any failure into
 * what Airbyte expects: a TRACE ERROR message and a non-zero exit (check instead always answers
 * with one CONNECTION_STATUS). stdout carries Airbyte messages only; yargs' own help and usage
 * errors go to stderr.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { asConnectorError } from './errors.js';
import { MessageEmitter } from './protocol/emitter.js';
import { errorTraceMessage } from './protocol/messages.js';
import { specCommand } from './commands/spec.js';
import { checkCommand } from './commands/check.js';
import { discoverCommand } from './commands/discover.js';
import { readCommand } from './commands/read.js';
import { lookerRefreshCommand } from './commands/looker-refresh.js';
import { generateLookmlCommand } from './commands/generate-lookml.js';
import { generateManifestCommand } from './commands/generate-manifest.js';
import { plainLogger, SecretRedactor, type Logger } from './logging.js';

const stop = new AbortController();

/**
 * Runs a protocol command with its own secret redactor and an emitter that masks those secrets;
 * its failure becomes one TRACE ERROR message.
 */
async function run(command: (emitter: MessageEmitter, secrets: SecretRedactor) => Promise<number>): Promise<void> {
  const secrets = new SecretRedactor();
  const emitter = new MessageEmitter(process.stdout, secrets);
  let code: number;
  try {
    code = await command(emitter, secrets);
  } catch (error) {
    const failure = asConnectorError(error);
    if (!stop.signal.aborted) await emitter.emit(errorTraceMessage(failure));
    code = stop.signal.aborted ? 143 : 1;
  }
  process.exitCode = code;
}

/** Runs a helper command that prints plain lines, with its own secret redactor; its failure is one ERROR line and exit 1. */
async function runPlain(command: (logger: Logger, secrets: SecretRedactor) => Promise<number>): Promise<void> {
  const secrets = new SecretRedactor();
  const logger = plainLogger(process.stdout, secrets);
  try {
    process.exitCode = await command(logger, secrets);
  } catch (error) {
    logger.error(asConnectorError(error).message);
    process.exitCode = 1;
  }
}

/**
 * On SIGTERM (docker stop, a cancelled Airbyte job) the read stops taking new pages, aborts the
 * request in flight and logs out of the Service Layer; every line already written is whole,
 * because each message is written with a single write. A second signal, or a logout that hangs,
 * ends the process at once.
 */
function handleSignal(signal: NodeJS.Signals): void {
  if (stop.signal.aborted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  stop.abort();
  setTimeout(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)), 8000).unref();
}
process.on('SIGTERM', handleSignal);
process.on('SIGINT', handleSignal);

// When whoever reads stdout goes away (the destination died, a pipe was closed), nothing more can be
// delivered: stop reading, log out, and say so on stderr instead of dying with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (!stop.signal.aborted) {
    process.stderr.write(`stdout is closed (${error.code ?? error.message}); stopping the read.\n`);
    stop.abort();
  }
  process.exitCode = 1;
});

const configOption = { type: 'string', demandOption: true, describe: 'Path to the connector config JSON (see `spec`).' } as const;
const configuredCatalogOption = { type: 'string', describe: 'Configured catalog of the connection; default: every stream discover offers.' } as const;

await yargs(hideBin(process.argv))
  .scriptName('source-sap-business-one')
  .usage(
    '$0 <command> [options]\n\nAirbyte source for SAP Business One: reads the Service Layer (/b1s/v1 or /b1s/v2).\nProtocol commands print Airbyte messages on stdout, one JSON object per line.',
  )
  .command('spec', 'Print the connector specification (the config form).', {}, () => run((emitter) => specCommand(emitter)))
  .command('check', 'Sign in and check that every entity set can be read.', { config: configOption }, (args) =>
    run((emitter, secrets) => checkCommand(args.config, emitter, secrets)),
  )
  .command('discover', "Print the streams, with the company's user-defined fields.", { config: configOption }, (args) =>
    run((emitter, secrets) => discoverCommand(args.config, emitter, secrets)),
  )
  .command(
    'read',
    'Read the configured streams: records, checkpoints, statuses.',
    {
      config: configOption,
      catalog: { type: 'string', demandOption: true, describe: 'Path to the configured catalog JSON.' },
      state: { type: 'string', describe: 'Path to the state JSON from the previous read (STREAM array, GLOBAL array or legacy object).' },
    },
    (args) =>
      run((emitter, secrets) =>
        readCommand({ configPath: args.config, catalogPath: args.catalog, statePath: args.state, signal: stop.signal }, emitter, secrets),
      ),
  )
  .command(
    'generate-lookml',
    'Write a LookML project (model, views, explores) for the synced tables. Prints plain lines.',
    {
      config: configOption,
      catalog: configuredCatalogOption,
      out: { type: 'string', demandOption: true, describe: 'Folder to write the LookML project into.' },
      dialect: { type: 'string', demandOption: true, choices: ['bigquery', 'snowflake', 'postgres'], describe: 'SQL dialect of the destination.' },
      connection: { type: 'string', demandOption: true, describe: 'Name of the Looker connection to the destination.' },
      schema: { type: 'string', demandOption: true, describe: 'Dataset or schema the destination writes to.' },
      model: { type: 'string', describe: 'Model name (default sap_business_one); also the folder of the generated files.' },
      currency: { type: 'string', describe: "ISO 4217 code of the company's local currency, for amount formats (default USD)." },
      persist: { type: 'boolean', default: false, describe: 'Persist the derived tables (PDTs), rebuilt when the caching datagroup triggers.' },
      refresh: { type: 'string', choices: ['sql_trigger', 'looker_refresh'], describe: 'What tells Looker about syncs: the SQL-triggered datagroup (default) or looker-refresh.' },
    },
    (args) =>
      runPlain((logger, secrets) =>
        generateLookmlCommand(
          {
            configPath: args.config,
            catalogPath: args.catalog,
            outDir: args.out,
            dialect: args.dialect,
            connection: args.connection,
            schema: args.schema,
            model: args.model,
            currency: args.currency,
            persist: args.persist,
            refresh: args.refresh,
          },
          logger,
          secrets,
        ),
      ),
  )
  .command(
    'generate-manifest',
    'Write manifest.yaml, the declarative form of this connector for Airbyte Cloud. Prints plain lines.',
    { config: configOption, catalog: configuredCatalogOption, out: { type: 'string', demandOption: true, describe: 'Folder to write manifest.yaml into.' } },
    (args) =>
      runPlain((logger, secrets) => generateManifestCommand({ configPath: args.config, catalogPath: args.catalog, outDir: args.out }, logger, secrets)),
  )
  .command('looker-refresh', 'Tell Looker that a sync has landed (datagroups, PDTs, schedules).', { config: configOption }, (args) =>
    runPlain((logger, secrets) => lookerRefreshCommand(args.config, logger, secrets)),
  )
  .demandCommand(1, 'Name a command: spec, check, discover, read, generate-lookml, generate-manifest or looker-refresh.')
  .strict()
  .help()
  .alias('help', 'h')
  .version(false)
  .wrap(null)
  .showHelpOnFail(true)
  .fail((message, error) => {
    if (error) throw error;
    process.stderr.write(`${message}\n\nRun with --help for usage.\n`);
    process.exit(2);
  })
  .parseAsync();
