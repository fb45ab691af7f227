/**
 * The engine's interpolation of one manifest string, as airbyte-python-cdk's JinjaInterpolation.eval
 * does it: render; when the result is empty, render the default (an InterpolatedString's default
 * is its own text); then ast.literal_eval, keeping the text when it is not a literal, or when
 * valid_types is given and the literal is of another type.
 */
import { render, type Globals, type Scope } from './jinja.js';
import { literalEval, type PyValue } from './python-values.js';

export function interpolate(template: string, context: Scope, globals?: Globals, options: { defaultText?: string | null } = {}): PyValue {
  let text = render(template, context, globals);
  if (text === '') {
    const fallback = options.defaultText === undefined ? template : options.defaultText;
    if (fallback === null) return null;
    text = render(fallback, context, globals);
  }
  const literal = literalEval(text);
  return literal === undefined ? text : literal;
}

/** Request options and mapping values: an empty rendering becomes None (default None), which the engine drops. */
export function interpolateOption(template: string, context: Scope, globals?: Globals): PyValue {
  return interpolate(template, context, globals, { defaultText: null });
}

/**
 * InterpolatedBoolean (interpolated_boolean.py): false only for the values in its FALSE_VALUES list
 * ("False", "false", "{}", "[]", "()", "", "0", "0.0", and the empty or false literals); anything
 * else, None included, is true.
 */
export function interpolateBoolean(template: string, context: Scope, globals?: Globals): boolean {
  const value = interpolate(template, context, globals, { defaultText: 'False' });
  if (typeof value === 'string') return !['False', 'false', '{}', '[]', '()', '', '0', '0.0'].includes(value);
  if (value === false || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return true;
}
