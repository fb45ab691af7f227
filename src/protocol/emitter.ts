/**
 * The only writer of stdout. One Airbyte message per line, nothing else: a stray console.log
 * would corrupt the protocol stream. Messages are serialised to complete lines and handed to the
 * stream in a single write (one message, or a batch of them: a page's records leave in a few large
 * writes rather than one small write each), and the caller waits for the pipe to drain, so a slow
 * destination slows the read down instead of growing memory. The text a person reads (log lines,
 * error traces, check's answer) passes through the run's secret redactor on the way; records and
 * states are the company's data and are written as they are.
 */
import type { Writable } from 'node:stream';
import type { AirbyteMessage } from './generated/airbyte-protocol.js';
import { SecretRedactor, type Logger, type LogLevel } from '../logging.js';
import { logMessage } from './messages.js';

export class MessageEmitter {
  private readonly out: Writable;
  private readonly secrets: SecretRedactor;
  private closed = false;

  /** `secrets` is the run's redactor; an emitter given none (a test's) knows no secrets. */
  constructor(out: Writable = process.stdout, secrets: SecretRedactor = new SecretRedactor()) {
    this.out = out;
    this.secrets = secrets;
    // Once the reader of stdout is gone nothing more can be delivered; main stops the command.
    out.on('error', () => this.close());
  }

  /** Writes one message; resolves when the stream can take more (or is gone). */
  async emit(message: AirbyteMessage): Promise<void> {
    await this.write(JSON.stringify(redacted(message, this.secrets)) + '\n');
  }

  /** Writes messages, in order, in one write of whole lines; resolves when the stream can take more (or is gone). */
  async emitAll(messages: readonly AirbyteMessage[]): Promise<void> {
    let lines = '';
    for (const message of messages) lines += JSON.stringify(redacted(message, this.secrets)) + '\n';
    await this.write(lines);
  }

  private async write(lines: string): Promise<void> {
    if (this.closed || lines === '') return;
    if (!this.out.write(lines)) await waitForDrain(this.out);
  }

  /** After close, messages are dropped: used when stopping on a signal or a closed stdout. */
  close(): void {
    this.closed = true;
  }

  /** A Logger whose lines become Airbyte LOG messages on this emitter. */
  logger(minLevel: LogLevel = 'INFO'): Logger {
    const order: LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
    const log = (level: LogLevel, message: string): void => {
      if (order.indexOf(level) < order.indexOf(minLevel)) return;
      // Log lines are small and rare next to records; they are not awaited so that any module
      // can log synchronously, and they still go through the same single-write path.
      void this.emit(logMessage(level, message));
    };
    return {
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARN', m),
      error: (m) => log('ERROR', m),
    };
  }
}

/** The message with every text meant for a person redacted; records, states and catalogs as they are. */
function redacted(message: AirbyteMessage, secrets: SecretRedactor): AirbyteMessage {
  if (message.log) return { ...message, log: { ...message.log, message: secrets.redact(message.log.message) } };
  const error = message.trace?.error;
  if (message.trace && error) {
    return {
      ...message,
      trace: {
        ...message.trace,
        error: {
          ...error,
          message: secrets.redact(error.message),
          ...(error.internal_message === undefined ? {} : { internal_message: secrets.redact(error.internal_message) }),
          ...(error.stack_trace === undefined ? {} : { stack_trace: secrets.redact(error.stack_trace) }),
        },
      },
    };
  }
  const status = message.connectionStatus;
  if (status?.message !== undefined) return { ...message, connectionStatus: { ...status, message: secrets.redact(status.message) } };
  return message;
}

/** Resolves when the stream drains, or when it fails (the failure is handled by its listeners). */
function waitForDrain(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('error', done);
    out.once('close', done);
  });
}
