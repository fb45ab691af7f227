/**
 * Logging goes through this interface so that each command decides where lines end up: Airbyte
 * LOG messages on stdout for the protocol commands, plain lines on stdout for the helper commands.
 * Every line passes through the run's secret redactor on its way out.
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * The secrets one run has seen (passwords, client secrets, session ids, tokens), masked in any
 * text before it is printed. A command creates one per run and hands it to whoever learns secrets
 * (the config loader, the session, the OAuth client, the Looker client) and to whatever prints (the
 * emitter, the plain logger), so that two runs in one process never share what they know.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  register(secret: string | undefined | null): void {
    // Even a very short secret is registered: an odd-looking log line is better than a leak.
    if (typeof secret === 'string' && secret.length > 0) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      if (result.includes(secret)) result = result.split(secret).join('**********');
    }
    return result;
  }
}

/** Plain-text logger, for commands that are not Airbyte protocol commands. */
export function plainLogger(out: NodeJS.WritableStream, secrets: SecretRedactor, minLevel: LogLevel = 'INFO'): Logger {
  const order: LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
  const write = (level: LogLevel, message: string): void => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    out.write(`${new Date().toISOString()} ${level} ${secrets.redact(message)}\n`);
  };
  return {
    debug: (m) => write('DEBUG', m),
    info: (m) => write('INFO', m),
    warn: (m) => write('WARN', m),
    error: (m) => write('ERROR', m),
  };
}

/** A logger that drops everything, for tests and for code paths that must stay quiet. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
