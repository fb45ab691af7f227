/**
 * Writes records as the Service Layer does: every property of the type in $metadata order, tab indentation and
 * `"Name" : value` spacing, doubles always with a decimal point (0.0), dates as "YYYY-MM-DDT00:00:00Z" on v2 and
 * "YYYY-MM-DD" on v1, times as "HH:MM:SS", enums as member names, nested collections expanded.
 *
 * Speed matters (a document has well over a thousand properties with its lines), so each record shape is
 * compiled once into a template: the text of all properties the record does not set is precomputed, and only
 * the values the record carries are encoded per record.
 */
import { createHash } from 'node:crypto';
import type { PropertyInfo, SchemaModel, StructuredType } from '../model/schema.js';
import type { Core } from '../store/source.js';
import type { Dialect } from '../types.js';

/** Output pieces: text, or long precomputed text already encoded as UTF-8. */
export type Piece = string | Buffer;

interface Template {
  /** statics[0] slot[0] statics[1] slot[1] ... statics[n] */
  statics: Piece[];
  slots: PropertyInfo[];
}

/** Precomputed text longer than this is kept encoded, so each record copies bytes instead of re-encoding them. */
const ENCODE_ABOVE = 256;

export function textOf(parts: readonly Piece[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.toString('utf8'))).join('');
}

const TABS = Array.from({ length: 12 }, (_, i) => '\t'.repeat(i));

export class JsonWriter {
  private readonly templates = new Map<string, Template>();
  private readonly defaultTexts = new Map<string, string>();
  private readonly etags = new Map<unknown, string>();

  constructor(
    private readonly schema: SchemaModel,
    readonly dialect: Dialect,
  ) {}

  /**
   * Appends the properties of a record to `out`, one per line at `indent` tabs, without braces; `lead` (an
   * annotation line such as the etag) comes first. `select` limits the top-level properties.
   */
  writeProperties(out: Piece[], type: StructuredType, record: Core, indent: number, select?: readonly string[], lead?: string): void {
    const template = this.template(type, record, indent, select, lead !== undefined);
    if (lead !== undefined) out.push(lead);
    const { slots, statics } = template;
    out.push(statics[0]!);
    for (let i = 0; i < slots.length; i++) {
      this.writeValue(out, slots[i]!, record[slots[i]!.name], indent);
      out.push(statics[i + 1]!);
    }
  }

  /** Appends a record as an object at `indent` tabs: "{", its properties one level deeper, "}". */
  writeObject(out: Piece[], type: StructuredType, record: Core, indent: number, select?: readonly string[], lead?: string): void {
    out.push(`${TABS[indent]}{\n`);
    this.writeProperties(out, type, record, indent + 1, select, lead);
    out.push(`\n${TABS[indent]}}`);
  }

  /** The properties of a record as text (see writeProperties). */
  properties(type: StructuredType, record: Core, indent: number, select?: readonly string[], lead?: string): string {
    const out: Piece[] = [];
    this.writeProperties(out, type, record, indent, select, lead);
    return textOf(out);
  }

  /** A record as an object (see writeObject). */
  object(type: StructuredType, record: Core, indent: number, select?: readonly string[], lead?: string): string {
    const out: Piece[] = [];
    this.writeObject(out, type, record, indent, select, lead);
    return textOf(out);
  }

  /** One annotation line, e.g. `"@odata.etag" : "W/\"...\""` at `indent` tabs. */
  annotation(name: string, value: string, indent: number): string {
    return `${TABS[indent]}${JSON.stringify(name)} : ${JSON.stringify(value)}`;
  }

  /** The weak ETag of a record version, as the Service Layer computes it: SHA-1 of the DataVersion value. */
  etag(version: unknown): string {
    let tag = this.etags.get(version);
    if (tag === undefined) {
      tag = `W/"${createHash('sha1').update(String(version ?? '')).digest('hex').toUpperCase()}"`;
      this.etags.set(version, tag);
    }
    return tag;
  }

  private template(type: StructuredType, record: Core, indent: number, select: readonly string[] | undefined, afterLead: boolean): Template {
    const shape = Object.keys(record).join(',');
    const cacheKey = `${type.name}|${indent}|${afterLead ? 1 : 0}|${select ? select.join(',') : '*'}|${shape}`;
    let template = this.templates.get(cacheKey);
    if (template) return template;
    const present = new Set(Object.keys(record));
    const wanted = select ? new Set(select) : undefined;
    const statics: string[] = [];
    const slots: PropertyInfo[] = [];
    let current = '';
    let first = !afterLead;
    for (const p of type.properties) {
      if (wanted && !wanted.has(p.name)) continue;
      current += `${first ? '' : ',\n'}${TABS[indent]}"${this.dialect === 'v1' ? p.v1Name : p.name}" : `;
      first = false;
      if (present.has(p.name)) {
        statics.push(current);
        slots.push(p);
        current = '';
      } else {
        current += this.defaultText(type, p, indent);
      }
    }
    statics.push(current);
    template = { statics: statics.map((t) => (t.length > ENCODE_ABOVE ? Buffer.from(t, 'utf8') : t)), slots };
    if (this.templates.size > 5000) this.templates.clear();
    this.templates.set(cacheKey, template);
    return template;
  }

  private defaultText(type: StructuredType, p: PropertyInfo, indent: number): string {
    const key = `${type.name}.${p.name}|${indent}`;
    let text = this.defaultTexts.get(key);
    if (text === undefined) {
      const out: Piece[] = [];
      this.writeValue(out, p, p.kind === 'complex' || p.kind === 'collection' ? undefined : type.defaults.get(p.name), indent);
      text = textOf(out);
      this.defaultTexts.set(key, text);
    }
    return text;
  }

  /** Appends a property value written at a property line of `indent` tabs. */
  private writeValue(out: Piece[], p: PropertyInfo, v: unknown, indent: number): void {
    switch (p.kind) {
      case 'collection': {
        const rows = Array.isArray(v) ? (v as Core[]) : [];
        if (rows.length === 0) {
          out.push('[]');
          return;
        }
        const element = this.schema.type(p.typeName!);
        out.push(`\n${TABS[indent]}[\n`);
        for (let i = 0; i < rows.length; i++) {
          if (i > 0) out.push(',\n');
          this.writeObject(out, element, rows[i]!, indent + 1);
        }
        out.push(`\n${TABS[indent]}]`);
        return;
      }
      case 'complex':
        out.push('\n');
        this.writeObject(out, this.schema.type(p.typeName!), (v as Core | undefined) ?? {}, indent);
        return;
      default:
        out.push(this.scalar(p, v));
    }
  }

  private scalar(p: PropertyInfo, v: unknown): string {
    if (v === null || v === undefined) return 'null';
    switch (p.kind) {
      case 'double':
        return Number.isInteger(v) ? `${v as number}.0` : String(v);
      case 'int':
        return String(v);
      case 'date':
        return this.dialect === 'v2' ? `"${v as string}T00:00:00Z"` : `"${v as string}"`;
      default:
        return JSON.stringify(v);
    }
  }
}
