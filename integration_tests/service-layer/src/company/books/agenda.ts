/** Things due on a later day (deliver order 12 on day D, pay invoice 40 on day E...), per kind of event. */
export class Agenda<K extends string> {
  private readonly buckets = new Map<K, number[][]>();

  constructor(
    private readonly firstDay: number,
    private readonly days: number,
  ) {}

  /** Schedules `id` for `day`; days past the history are dropped (the thing stays open). */
  add(kind: K, day: number, id: number): void {
    const offset = day - this.firstDay;
    if (offset < 0 || offset >= this.days) return;
    let list = this.buckets.get(kind);
    if (!list) {
      list = [];
      this.buckets.set(kind, list);
    }
    (list[offset] ??= []).push(id);
  }

  /** What is due on `day`, in the order it was scheduled. */
  due(kind: K, day: number): readonly number[] {
    return this.buckets.get(kind)?.[day - this.firstDay] ?? [];
  }
}
