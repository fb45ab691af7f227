/**
 * check answers one question with exactly one CONNECTION_STATUS: can this config read the
 * company's books? It signs in, then reads one key from every entity set the connector would
 * read, so that a missing permission or a misspelt custom entity set shows up now rather than in
 * the middle of a sync. A failure that ends the run (a refused sign-in, an unreachable server)
 * stops it at once: it is the answer, and the sign-in is not repeated.
 */
import { asConnectorError, endsRun, type ConnectorError } from '../errors.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import type { SecretRedactor } from '../logging.js';
import { connectionStatusMessage } from '../protocol/messages.js';
import { loadConfig, settingWarnings } from '../config/load.js';
import { ServiceLayerClient } from '../service-layer/client.js';
import { ServiceLayerHttpError } from '../service-layer/errors.js';
import { buildQuery } from '../service-layer/odata.js';
import { withInteractiveRetries } from '../service-layer/settings.js';
import { streamDefinitions } from '../streams/offered.js';

type EntitySetProblem = 'no_permission' | 'unknown' | 'other';

/** Which remedy an entity set's failure needs: a permission, a correct name, or what its message says. */
function problemOf(error: ConnectorError): EntitySetProblem {
  if (!(error instanceof ServiceLayerHttpError)) return 'other';
  if (error.status === 403) return 'no_permission';
  if (error.status === 404 || (error.status === 400 && error.failureType === 'config_error')) return 'unknown';
  return 'other';
}

export async function checkCommand(configPath: string, emitter: MessageEmitter, secrets: SecretRedactor): Promise<number> {
  const logger = emitter.logger();
  let client: ServiceLayerClient | undefined;
  // Airbyte's form shows check's message, not the log: settings that look like mistakes (a
  // misspelt name, a start_date in the future) are named there too, whatever the outcome.
  let notes = '';
  try {
    const config = await loadConfig(configPath, secrets, logger);
    notes = settingWarnings(config)
      .map((warning) => ` Note: ${warning}.`)
      .join('');
    client = new ServiceLayerClient({ config: withInteractiveRetries(config), logger, secrets });
    await client.connect();
    const problems: Record<EntitySetProblem, string[]> = { no_permission: [], unknown: [], other: [] };
    for (const definition of streamDefinitions(config)) {
      const query = buildQuery({ select: [definition.key], top: 1 }, client.dialect);
      try {
        await client.getJson(`${definition.entitySet}?${query}`);
      } catch (error) {
        if (endsRun(error)) throw error;
        const failure = asConnectorError(error);
        const problem = problemOf(failure);
        problems[problem].push(problem === 'other' ? `${definition.entitySet} (${failure.message})` : definition.entitySet);
      }
    }
    const findings = [
      problems.unknown.length > 0
        ? `this Service Layer has no entity set ${problems.unknown.join(', ')}; check the names in custom_entity_sets against its $metadata ` +
          '(a user-defined table is U_ followed by its name) and that service_layer_url points at the right Service Layer'
        : undefined,
      problems.no_permission.length > 0
        ? `the user may not read ${problems.no_permission.join(', ')}; grant the user read access to them ` +
          '(Administration > System Initialization > Authorizations) or remove them from custom_entity_sets'
        : undefined,
      problems.other.length > 0 ? `these entity sets cannot be read: ${problems.other.join('; ')}` : undefined,
    ].filter((finding): finding is string => finding !== undefined);
    if (findings.length > 0) {
      await emitter.emit(connectionStatusMessage('FAILED', `Signed in, but ${findings.join('. Also, ')}.${notes}`));
    } else {
      await emitter.emit(connectionStatusMessage('SUCCEEDED', notes === '' ? undefined : `Connected.${notes}`));
    }
  } catch (error) {
    await emitter.emit(connectionStatusMessage('FAILED', `${asConnectorError(error).message}${notes}`));
  } finally {
    await client?.close();
  }
  return 0;
}
