/**
 * The one error type that crosses module boundaries. Its failure type decides how Airbyte treats
 * the failure (config_error: the user must fix something; transient_error: a later retry may
 * succeed; system_error: a defect or an unexpected answer), and its message is shown to a person.
 */
export type FailureType = 'config_error' | 'transient_error' | 'system_error';

export class ConnectorError extends Error {
  readonly failureType: FailureType;
  /** Technical detail for logs and the trace's internal_message, never shown as the headline. */
  readonly internalMessage: string | undefined;

  constructor(failureType: FailureType, message: string, options: { internalMessage?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.failureType = failureType;
    this.internalMessage = options.internalMessage;
  }
}

export function configError(message: string, options?: { internalMessage?: string; cause?: unknown }): ConnectorError {
  return new ConnectorError('config_error', message, options);
}

export function transientError(message: string, options?: { internalMessage?: string; cause?: unknown }): ConnectorError {
  return new ConnectorError('transient_error', message, options);
}

export function systemError(message: string, options?: { internalMessage?: string; cause?: unknown }): ConnectorError {
  return new ConnectorError('system_error', message, options);
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
