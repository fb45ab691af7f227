/**
 * Runs the built connector (node dist/main.js) as Airbyte does, with files for config, catalog
 * and state, and checks every line it prints.
 */
import { spawn } from 'node:child_process';
import { connectorEntrypoint } from './paths.js';
import { privateFolder } from './private-folder.js';
import { assertNoSecrets, parseAirbyteOutput, type AirbyteMessageLike } from './protocol.js';

export interface ConnectorRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  messages: AirbyteMessageLike[];
}

export interface RunOptions {
  /** Secrets that must not appear in stdout or stderr. */
  secrets?: (string | undefined)[];
  /** Kill the process with SIGTERM once this predicate holds for the output so far. */
  stopWhen?: (stdoutSoFar: string) => boolean;
  timeoutMs?: number;
}

let fileCounter = 0;
// Configs hold the simulator's password: a private folder, removed when the test process ends.
const workFolder = privateFolder('sap-b1-test-');
process.on('exit', () => workFolder.remove());

/** Writes a JSON document to a temporary file (mode 0600) and returns its path. */
export function jsonFile(name: string, value: unknown): string {
  return workFolder.writeJson(`${++fileCounter}-${name}.json`, value);
}

export function runConnector(args: string[], options: RunOptions = {}): Promise<ConnectorRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [connectorEntrypoint, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!stopping && options.stopWhen?.(stdout)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`connector ${args[0]} did not finish within ${options.timeoutMs ?? 120000} ms; stderr: ${stderr.slice(-2000)}`));
    }, options.timeoutMs ?? 120000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        assertNoSecrets(stdout, options.secrets ?? [], `stdout of ${args[0]}`);
        assertNoSecrets(stderr, options.secrets ?? [], `stderr of ${args[0]}`);
        resolve({ code, signal, stdout, stderr, messages: parseAirbyteOutput(stdout) });
      } catch (error) {
        reject(error);
      }
    });
  });
}

export function records(run: ConnectorRun, stream?: string): Record<string, unknown>[] {
  return run.messages
    .filter((m) => m.type === 'RECORD' && (stream === undefined || (m.record as { stream: string }).stream === stream))
    .map((m) => (m.record as { data: Record<string, unknown> }).data);
}

export function statesOf(run: ConnectorRun, stream: string): Record<string, unknown>[] {
  return run.messages
    .filter((m) => m.type === 'STATE' && (m.state as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name === stream)
    .map((m) => m.state as Record<string, unknown>);
}

/** The last STATE message of every stream, as an Airbyte --state file would hold them. */
export function lastStates(run: ConnectorRun): unknown[] {
  const last = new Map<string, unknown>();
  for (const m of run.messages) {
    if (m.type !== 'STATE') continue;
    const state = m.state as { stream: { stream_descriptor: { name: string } } };
    last.set(state.stream.stream_descriptor.name, { type: 'STREAM', stream: state.stream });
  }
  return [...last.values()];
}

export function traces(run: ConnectorRun, type: string): Record<string, unknown>[] {
  return run.messages.filter((m) => m.type === 'TRACE' && (m.trace as { type: string }).type === type).map((m) => m.trace as Record<string, unknown>);
}
