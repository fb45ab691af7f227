/**
 * looker-refresh tells Looker that a sync has landed, from outside Airbyte's read: an Airbyte
 * webhook, an orchestrator step or cron runs it after the destination has committed. It prints
 * plain progress lines, not Airbyte messages, and exits non-zero when any refresh step failed.
 */
import { loadConfig } from '../config/load.js';
import { configError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { runLookerRefresh } from '../looker/refresh.js';

export async function lookerRefreshCommand(configPath: string, logger: Logger, secrets: SecretRedactor): Promise<number> {
  const config = await loadConfig(configPath, secrets, logger);
  if (!config.looker) {
    throw configError('The config has no "looker" section; add base_url, client_id, client_secret and the datagroups to trigger (see spec).');
  }
  const outcome = await runLookerRefresh(config.looker, logger, secrets);
  return outcome.ok ? 0 : 1;
}
