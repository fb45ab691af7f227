/**
 * The bytes of JSON's structure, which are ASCII and so never occur inside a multi-byte UTF-8
 * sequence: what the collection scanner cuts answers at, and what the text written from its runs
 * (streams/record-json.ts) is joined with.
 */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
export const COLON = 0x3a;
export const COMMA = 0x2c;

/** JSON's white space: space, tab, line feed, carriage return. */
export function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** The index of the first byte from `from` on that is not white space, or the length when there is none. */
export function skipWhitespace(bytes: Buffer, from: number): number {
  let at = from;
  while (at < bytes.length && isWhitespace(bytes[at]!)) at++;
  return at;
}
