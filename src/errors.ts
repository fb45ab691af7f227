/**
 * The one error type that crosses module boundaries. Its failure type decides how Airbyte treats
 * the failure (config_error: the user must fix something; transient_error: a later retry may
 * succeed; system_error: a defect or an unexpected answer), and its message is shown to a person.
 */
export type FailureType = 'config_error' | 'transient_error' | 'system_error';

export interface ConnectorErrorOptions {
  internalMessage?: string;
  cause?: unknown;
  /** See ConnectorError.endsRun. */
  endsRun?: boolean;
}

export class ConnectorError extends Error {
  readonly failureType: FailureType;
  /** Technical detail for logs and the trace's internal_message, never shown as the headline. */
  readonly internalMessage: string | undefined;
  /**
   * The failure is not about one request or stream: every later request of this command would
   * fail the same way (a refused sign-in, an unreachable server, an untrusted certificate, a host
   * that does not resolve). The command stops at once and reports it once, for all its streams;
   * a refused sign-in in particular is never tried again, so that the SAP user is not locked.
   */
  readonly endsRun: boolean;

  constructor(failureType: FailureType, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.failureType = failureType;
    this.internalMessage = options.internalMessage;
    this.endsRun = options.endsRun ?? false;
  }
}

export function configError(message: string, options?: ConnectorErrorOptions): ConnectorError {
  return new ConnectorError('config_error', message, options);
}

export function transientError(message: string, options?: ConnectorErrorOptions): ConnectorError {
  return new ConnectorError('transient_error', message, options);
}

export function systemError(message: string, options?: ConnectorErrorOptions): ConnectorError {
  return new ConnectorError('system_error', message, options);
}

/** Whether an error ends the whole command rather than one stream (see ConnectorError.endsRun). */
export function endsRun(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError && error.endsRun;
}

/** Wraps anything thrown into a ConnectorError, keeping an existing classification. */
export function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError('system_error', `Unexpected error: ${message}`, {
    internalMessage: error instanceof Error ? error.stack : undefined,
    cause: error,
  });
}
