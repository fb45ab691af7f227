/**
 * A tiny LookML syntax tree and its printer. Generators build nodes; only this module knows how
 * LookML spells them (quoting, `;;` after SQL, lists, nesting), so no generator can emit a
 * half-quoted string or an unterminated SQL block.
 */

export type LookmlNode =
  | { kind: 'value'; key: string; value: string }
  | { kind: 'sql'; key: string; sql: string }
  | { kind: 'block'; key: string; name: string | undefined; body: LookmlNode[] }
  | { kind: 'comment'; text: string };

/** A bare value: `type: number`, `primary_key: yes`. */
export function bare(key: string, value: string): LookmlNode {
  if (!/^[A-Za-z0-9_.:+-]+$/.test(value)) throw new Error(`LookML bare value for ${key} must be a plain word, got ${JSON.stringify(value)}`);
  return { kind: 'value', key, value };
}

/** A quoted string: `label: "Gross margin"`. */
export function quoted(key: string, value: string): LookmlNode {
  return { kind: 'value', key, value: quote(value) };
}

export function yesNo(key: string, value: boolean): LookmlNode {
  return bare(key, value ? 'yes' : 'no');
}

/** A list of plain words: `timeframes: [date, week]`. */
export function wordList(key: string, values: readonly string[]): LookmlNode {
  for (const value of values) bare(key, value);
  return { kind: 'value', key, value: `[${values.join(', ')}]` };
}

/** A list of field references: `fields: [doc_num, customer.card_name, detail*]`. */
export function fieldList(key: string, fields: readonly string[]): LookmlNode {
  for (const field of fields) {
    if (!/^-?([a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*\*?|ALL_FIELDS\*)$/.test(field)) throw new Error(`LookML field reference for ${key} is malformed: ${JSON.stringify(field)}`);
  }
  return { kind: 'value', key, value: `[${fields.join(', ')}]` };
}

/** A list of quoted strings: `includes: ["/views/*.view.lkml"]`. */
export function quotedList(key: string, values: readonly string[]): LookmlNode {
  return { kind: 'value', key, value: `[${values.map(quote).join(', ')}]` };
}

/** A SQL parameter: `sql: ${TABLE}."x" ;;`. */
export function sqlParam(key: string, sql: string): LookmlNode {
  if (sql.includes(';;')) throw new Error(`SQL for ${key} must not contain ";;", which ends a LookML SQL block: ${sql}`);
  return { kind: 'sql', key, sql: sql.trim() };
}

export function block(key: string, name: string | undefined, body: LookmlNode[]): LookmlNode {
  if (name !== undefined && !/^\+?[a-z_][a-z0-9_]*$/.test(name) && !(key === 'constant' && /^[A-Z][A-Z0-9_]*$/.test(name))) throw new Error(`LookML object name must be lower-case letters, digits and underscores, got ${JSON.stringify(name)}`);
  return { kind: 'block', key, name, body };
}

export function comment(text: string): LookmlNode {
  return { kind: 'comment', text };
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
}

/** Prints top-level nodes (a file) with two-space indentation. */
export function printLookml(nodes: readonly LookmlNode[]): string {
  const lines: string[] = [];
  for (const [index, node] of nodes.entries()) {
    if (index > 0 && node.kind === 'block') lines.push('');
    printNode(node, 0, lines);
  }
  return `${lines.join('\n')}\n`;
}

function printNode(node: LookmlNode, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  switch (node.kind) {
    case 'comment':
      for (const line of node.text.split('\n')) lines.push(line ? `${pad}# ${line}` : `${pad}#`);
      return;
    case 'value':
      lines.push(`${pad}${node.key}: ${node.value}`);
      return;
    case 'sql': {
      const sqlLines = node.sql.split('\n');
      if (sqlLines.length === 1) {
        lines.push(`${pad}${node.key}: ${node.sql} ;;`);
      } else {
        lines.push(`${pad}${node.key}:`);
        for (const line of sqlLines) lines.push(line.trim() ? `${pad}  ${line.trimEnd()}` : '');
        lines.push(`${pad}  ;;`);
      }
      return;
    }
    case 'block': {
      lines.push(`${pad}${node.key}: ${node.name === undefined ? '' : `${node.name} `}{`);
      for (const child of node.body) printNode(child, depth + 1, lines);
      lines.push(`${pad}}`);
      return;
    }
  }
}
