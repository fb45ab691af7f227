/** The independent LookML parser from the npm registry (lookml-parser), which ships no types. */
declare module 'lookml-parser' {
  export interface ParseFilesOptions {
    source: string | { path: string; content: string }[];
    fileOutput?: 'by-name' | 'array' | 'by-type';
    console?: { log(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void };
  }
  export interface ParsedProject {
    errors?: { error: unknown; $file_path?: string }[];
    file: Record<string, Record<string, unknown>>;
    model: Record<string, Record<string, unknown>>;
  }
  /** A CommonJS module: its exports arrive as the default import. */
  const lookmlParser: {
    parse(text: string): Record<string, unknown>;
    parseFiles(options: ParseFilesOptions): Promise<ParsedProject>;
  };
  export default lookmlParser;
}
