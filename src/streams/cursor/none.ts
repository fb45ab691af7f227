/**
 * none: every sync reads everything, in key order. Master data without a change stamp, and items
 * and business partners: their stock quantities and balances move with every transaction without
 * their change stamp moving, so an incremental read would leave them stale. The stream is offered
 * for full refresh only.
 *
 * Saved state: {} after a finished pass; a pass (bound {}) while one is under way.
 */
import { readPass, type CursorModule, type CursorPolicy } from './policy.js';

type Nothing = Record<string, never>;

export const nonePolicy: CursorPolicy<undefined, Nothing> = {
  kind: 'none',
  tracksMaxKey: false,

  readState(saved) {
    // A stream may have had another policy before (a custom entity set whose change date was
    // removed): what that policy kept means nothing here and is not read, which costs nothing
    // because every pass reads everything. A pass it bounded is started again from the beginning.
    const resumable = saved.pass !== undefined && Object.keys(saved.pass.bound).length === 0;
    return { state: { finished: undefined, pass: resumable ? readPass(saved.pass, () => ({})) : undefined } };
  },
  writeFinished: () => ({}),
  writeBound: () => ({}),

  freshBound: () => ({}),
  boundFilter: () => undefined,
  completed: () => undefined,
  countsFrom: () => undefined,

  parentCursorField: () => undefined,
  childCursorField: () => undefined,

  manifest: { filter: () => undefined, incrementalSync: () => undefined },
};

export const none: CursorModule<'none'> = {
  create: () => nonePolicy,
  declare: () => ({ kind: 'none' }),
};
