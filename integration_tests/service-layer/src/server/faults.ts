/**
 * Scripted faults. Every rule counts the requests it matches; after letting `after` of them pass it applies to
 * the next `times` (default 1). When several rules are due on one request, the first added wins.
 */
import type { FaultRule } from '../types.js';

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  applied: number;
}

const KINDS = new Set(['latency', 'status429', 'proxy502', 'status503', 'status500', 'status504', 'reset', 'truncate', 'expire_session']);

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    if (!KINDS.has(rule.kind)) throw new Error(`Unknown fault kind '${String(rule.kind)}'`);
    if (rule.kind === 'latency' && !(rule.ms >= 0)) throw new Error('A latency fault needs ms >= 0');
    for (const [name, value] of [['after', rule.after], ['times', rule.times]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new Error(`Fault ${name} must be a non-negative integer`);
    }
    this.rules.push({ rule, seen: 0, applied: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if one is due. */
  next(method: string, path: string): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    for (const r of this.rules) {
      const m = r.rule.match;
      if (m?.method && m.method.toUpperCase() !== method.toUpperCase()) continue;
      if (m?.pathIncludes && !path.includes(m.pathIncludes)) continue;
      r.seen++;
      if (!chosen && r.seen > (r.rule.after ?? 0) && r.applied < (r.rule.times ?? 1)) {
        r.applied++;
        chosen = r.rule;
      }
    }
    return chosen;
  }
}
