import type { Logger, LogLevel } from '../../src/logging.js';

/**
 * Keeps every line exactly as the code handed it over, before any redaction, so a test can prove
 * that no secret is ever passed to a logger in the first place.
 */
export class CaptureLogger implements Logger {
  readonly lines: { level: LogLevel; message: string }[] = [];
  debug = (message: string): void => void this.lines.push({ level: 'DEBUG', message });
  info = (message: string): void => void this.lines.push({ level: 'INFO', message });
  warn = (message: string): void => void this.lines.push({ level: 'WARN', message });
  error = (message: string): void => void this.lines.push({ level: 'ERROR', message });

  text(): string {
    return this.lines.map((l) => `${l.level} ${l.message}`).join('\n');
  }
}
