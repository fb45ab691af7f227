/**
 * Writing the Jinja the declarative engine evaluates. Every interpolated value goes through the
 * engine's JinjaInterpolation: the template is rendered to text and the text is then passed to
 * Python's ast.literal_eval, whose result replaces the text when it parses (airbyte-python-cdk
 * airbyte_cdk/sources/declarative/interpolation/jinja.py, JinjaInterpolation.eval and
 * _literal_eval). So a rendered "00123" would come back as the integer 123 and "None" as null.
 * Values that must keep their exact type are therefore rendered as a Python literal of
 * themselves ('%r' % value), which literal_eval turns back into the same value: text stays text,
 * null stays null, numbers and booleans stay what they are.
 */

/** A Python (and Jinja) single-quoted string literal. */
export function pyString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;
}

/** `{{ expression }}`. */
export function template(expression: string): string {
  return `{{ ${expression} }}`;
}

/** A template whose value, after the engine's literal_eval, is exactly the value of `expression`. */
export function exactValue(expression: string): string {
  return template(`'%r' % (${expression})`);
}

/** `config['a']['b']`: a required setting. */
export function configPath(...path: string[]): string {
  return `config${path.map((key) => `[${pyString(key)}]`).join('')}`;
}

/** `config.get('a', default)`: an optional top-level setting with its spec default. */
export function configSetting(name: string, fallback: string | number): string {
  return `config.get(${pyString(name)}, ${typeof fallback === 'number' ? String(fallback) : pyString(fallback)})`;
}

/** `record.get('Property')` on the row being transformed. */
export function recordProperty(property: string, container = 'record'): string {
  return `${container}.get(${pyString(property)})`;
}

/**
 * The OData literal of the entity key in the variable `v`, as the image writes it (cursor/ordering.ts
 * keyLiteral): a number as it is, text in single quotes with each quote doubled.
 */
export function odataKeyLiteral(v: string): string {
  const quote = pyString("'");
  return `((${v} ~ '') if ${v} is number else (${quote} ~ (${v} ~ '')|replace(${quote}, ${pyString("''")}) ~ ${quote}))`;
}
