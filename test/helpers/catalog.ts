/**
 * The configured catalog the Airbyte UI would save for a set of discovered streams: incremental
 * with Append + Deduped where a stream offers it, otherwise full refresh with Overwrite.
 */
export interface OfferedStream {
  name: string;
  supported_sync_modes: string[];
  source_defined_primary_key?: string[][];
  default_cursor_field?: string[];
}

export interface ConfiguredStreamOf<S extends OfferedStream> {
  stream: S;
  sync_mode: 'incremental' | 'full_refresh';
  destination_sync_mode: 'append_dedup' | 'overwrite';
  primary_key?: string[][];
  cursor_field?: string[];
}

export function configureStreams<S extends OfferedStream>(
  streams: readonly S[],
  mode: 'incremental' | 'full_refresh' = 'incremental',
): { streams: ConfiguredStreamOf<S>[] } {
  return {
    streams: streams.map((stream) => {
      const incremental = mode === 'incremental' && stream.supported_sync_modes.includes('incremental');
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
        ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
      };
    }),
  };
}
