/**
 * Looks a stream's cursor policy up from its declaration in the stream table (or in
 * custom_entity_sets): the one place that knows which module implements which kind.
 */
import type { CursorDeclaration, StreamDefinition } from '../definitions.js';
import { changeStamp } from './change-stamp.js';
import { keyAndPostingWindow } from './key-and-posting-window.js';
import { none } from './none.js';
import type { CursorKind, CursorModule, CursorPolicy, CustomEntitySet } from './policy.js';

const modules: { [Kind in CursorKind]: CursorModule<Kind> } = {
  change_stamp: changeStamp,
  key_and_posting_window: keyAndPostingWindow,
  none,
};

function create<Kind extends CursorKind>(definition: StreamDefinition, declared: Extract<CursorDeclaration, { kind: Kind }>): CursorPolicy {
  const module: CursorModule<Kind> = modules[declared.kind];
  return module.create(definition, declared);
}

/** The cursor policy of a stream definition. */
export function cursorPolicyOf(definition: StreamDefinition): CursorPolicy {
  return create(definition, definition.cursor);
}

/** The declaration a custom entity set makes for a policy, or the setting it lacks. */
export function declareCursor(kind: CursorKind, entry: CustomEntitySet): CursorDeclaration | { missingSetting: string } {
  return modules[kind].declare(entry);
}
