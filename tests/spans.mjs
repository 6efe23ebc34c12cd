// Structure of a run's timeline, for tests that check what overlapped and
// what did not (never how long it took: timings belong to the benchmark).

/** Phases of `kind` in `tasks`, each with its task id and worker. */
export function phasesOf(tasks, kind) {
  return tasks.flatMap((t) => t.phases.filter((p) => p.kind === kind).map((p) => ({ ...p, task: t.id, worker: t.worker })));
}

/**
 * The most spans in progress at one instant. Spans that merely touch (one
 * ends within `slack` ms of where the next starts) do not count as overlapping.
 */
export function maxInFlight(spans, slack = 0.5) {
  const events = spans
    .filter((s) => s.start_ms + slack < s.end_ms - slack)
    .flatMap((s) => [[s.start_ms + slack, 1], [s.end_ms - slack, -1]])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of events) most = Math.max(most, (now += step));
  return most;
}

/** Milliseconds summed over phases of `kind` in one task. */
export function timeIn(task, kind) {
  return task.phases.filter((p) => p.kind === kind).reduce((a, p) => a + p.end_ms - p.start_ms, 0);
}
