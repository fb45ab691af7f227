/**
 * Builders for every Airbyte message the connector prints. They take our own values and return
 * the generated protocol types, so the shape of a message is decided in one place. Secrets are
 * masked where the messages are written (emitter.ts), with the run's redactor.
 */
import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteMessage,
  AirbyteRecordMessageMetaChange,
  AirbyteStreamStatus,
  ConnectorSpecification,
} from './generated/airbyte-protocol.js';
import type { ConnectorError } from '../errors.js';
import type { LogLevel } from '../logging.js';

export type RecordChange = AirbyteRecordMessageMetaChange;

export function recordMessage(stream: string, data: Record<string, unknown>, emittedAt: number, changes: RecordChange[] = []): AirbyteMessage {
  const record: AirbyteMessage['record'] = { stream, data, emitted_at: emittedAt };
  if (changes.length > 0) record.meta = { changes };
  return { type: 'RECORD', record };
}

export function streamStateMessage(stream: string, state: Record<string, unknown>, recordCount: number): AirbyteMessage {
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream }, stream_state: state },
      // The protocol wants a double here; JSON has no distinction, destinations read it as a number.
      sourceStats: { recordCount },
    },
  };
}

export function logMessage(level: LogLevel, message: string): AirbyteMessage {
  return { type: 'LOG', log: { level, message } };
}

export function streamStatusMessage(stream: string, status: AirbyteStreamStatus, emittedAt = Date.now()): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: emittedAt,
      stream_status: { stream_descriptor: { name: stream }, status },
    },
  };
}

export function estimateMessage(stream: string, rowEstimate: number, emittedAt = Date.now()): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: { type: 'ESTIMATE', emitted_at: emittedAt, estimate: { name: stream, type: 'STREAM', row_estimate: rowEstimate } },
  };
}

export function errorTraceMessage(error: ConnectorError, stream?: string, emittedAt = Date.now()): AirbyteMessage {
  const internal = error.internalMessage ?? (error.cause instanceof Error ? error.cause.message : undefined);
  const trace: AirbyteMessage['trace'] = {
    type: 'ERROR',
    emitted_at: emittedAt,
    error: {
      message: error.message,
      failure_type: error.failureType,
      ...(internal ? { internal_message: internal } : {}),
      ...(error.stack ? { stack_trace: error.stack } : {}),
      ...(stream ? { stream_descriptor: { name: stream } } : {}),
    },
  };
  return { type: 'TRACE', trace };
}

export function connectionStatusMessage(status: AirbyteConnectionStatus['status'], message?: string): AirbyteMessage {
  return {
    type: 'CONNECTION_STATUS',
    connectionStatus: message === undefined ? { status } : { status, message },
  };
}

export function specMessage(spec: ConnectorSpecification): AirbyteMessage {
  return { type: 'SPEC', spec };
}

export function catalogMessage(catalog: AirbyteCatalog): AirbyteMessage {
  return { type: 'CATALOG', catalog };
}
