/**
 * Reads the state of a PDT materialization. The API spec types `resp_text` only as "detailed
 * response in text format"; in practice it is a JSON document whose `status` is one of added,
 * pending, running, complete, error, killed or unknown (the values Looker's API clients such as
 * Apache Airflow's LookerHook rely on), with a `message` explaining errors.
 */
export type PdtBuildState =
  | { phase: 'in_progress'; status: string }
  | { phase: 'complete' }
  | { phase: 'failed'; reason: string };

const IN_PROGRESS = new Set(['added', 'pending', 'running']);

export function readPdtBuildState(respText: string | null | undefined): PdtBuildState {
  if (respText === null || respText === undefined || respText.trim() === '') {
    // The start answer sometimes carries no detail yet; the build has only been enqueued.
    return { phase: 'in_progress', status: 'added' };
  }
  let parsed: { status?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(respText) as { status?: unknown; message?: unknown };
  } catch {
    return { phase: 'failed', reason: `Looker sent an unreadable build status: ${respText.slice(0, 200)}` };
  }
  const status = typeof parsed.status === 'string' ? parsed.status.toLowerCase() : '';
  const message = typeof parsed.message === 'string' && parsed.message.trim() !== '' ? parsed.message.trim() : undefined;
  if (IN_PROGRESS.has(status)) return { phase: 'in_progress', status };
  if (status === 'complete') return { phase: 'complete' };
  if (status === 'error') return { phase: 'failed', reason: `the build failed${message === undefined ? '' : `: ${message}`}` };
  if (status === 'killed') return { phase: 'failed', reason: `the build was stopped in Looker${message === undefined ? '' : `: ${message}`}` };
  return {
    phase: 'failed',
    reason: `Looker reports build status "${status || 'missing'}"${message === undefined ? '' : `: ${message}`}`,
  };
}
