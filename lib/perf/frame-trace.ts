// Per-frame main-thread work from a Chromium trace (JSON trace format, the categories in
// FRAME_TRACE_CATEGORIES). Pure: the benchmark records the trace, this reads it.
//
// Why not requestAnimationFrame deltas: headless Chromium keeps its 60 Hz tick whatever the
// flags, so a delta is the tick (16.7 ms) plus the ticks that were missed; a page that needs
// 2 ms a frame and one that needs 14 ms both read 16.7. What a user feels while scrolling is
// whether the renderer's main thread can finish a frame's work (scroll handlers, React's
// render, style, layout, paint, commit) inside the frame: when it cannot, frames are dropped
// and the rows under the viewport arrive late. So a frame here is the interval between two
// BeginMainThreadFrame events of the page's main thread (the main thread starting a frame
// for the tick), and its work is the thread time of every top-level task that started in
// that interval: the frame itself and the tasks between frames (scroll events, React's
// scheduled work, fetch callbacks) that must also fit before the next one. Thread time
// (the trace's `tdur`), not wall time (`dur`): on a machine shared with other work, wall
// time counts the moments the OS ran something else, which the page does not cause; on a
// user's otherwise idle machine the two are the same. Wall time is reported beside it.
//
// Dropped frames: the compositor numbers its BeginFrame ticks (`frameSeqId`); a tick in the
// scroll window without a main-thread frame is one the user did not get.

export const FRAME_TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "blink.user_timing",
  "toplevel",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
];

export type TraceEvent = {
  name: string;
  ph: string;
  ts: number; // microseconds
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: Record<string, unknown>;
};

/** `injected`/`injectedCpuMs`: the dispatches of the `costEvent` event in the frame and their thread time. */
export type FrameWork = { start: number; cpuMs: number; wallMs: number; injected: number; injectedCpuMs: number };

export type FrameReport = {
  frames: FrameWork[];
  /** Compositor ticks inside the window, and those without a main-thread frame. */
  ticks: number;
  dropped: number;
  /** Main-thread self time in the window by activity, ms (thread time where the trace has it). */
  activity: Record<string, number>;
  /** Main-thread self time in the window by trace event name, ms, most first: which part of an activity (PrePaint, Paint, Layerize...). */
  events: { name: string; ms: number }[];
  /** Main-thread self time in the window by JavaScript function, ms, most first (from the CPU profile samples). */
  functions: { name: string; ms: number }[];
};

const key = (e: { pid: number; tid: number }) => `${e.pid}:${e.tid}`;

// Self time of main-thread events is charged to the nearest enclosing event named here.
const ACTIVITY: Record<string, string> = {
  FunctionCall: "script",
  EvaluateScript: "script",
  EventDispatch: "script",
  FireAnimationFrame: "script",
  TimerFire: "script",
  RunMicrotasks: "script",
  "V8.Execute": "script",
  "v8.callFunction": "script",
  GCEvent: "gc",
  MinorGC: "gc",
  MajorGC: "gc",
  "V8.GC_SCAVENGER": "gc",
  UpdateLayoutTree: "style",
  Layout: "layout",
  PrePaint: "paint",
  Paint: "paint",
  Layerize: "paint",
  "LocalFrameView::RunPaintLifecyclePhase": "paint",
  Commit: "commit",
  HitTest: "hit test",
  "LocalFrameView::RunAccessibilitySteps": "accessibility",
  ParseHTML: "parse",
};

/**
 * The frames of the page's main thread between the user-timing marks `startMark` and
 * `endMark` (performance.mark in the page), dropping the first `skip` (the scroll's set-up).
 * `costEvent` names a DOM event the page dispatches around each piece of injected work
 * (validation): its EventDispatch trace events give that work's count and thread time per frame.
 */
export function frameReport(events: TraceEvent[], opts: { startMark: string; endMark: string; skip?: number; costEvent?: string }): FrameReport {
  const threads = new Map<string, string>();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") threads.set(key(e), String((e.args as { name?: string })?.name));
  const mark = (name: string) => events.find((e) => e.name === name && e.cat?.includes("blink.user_timing"));
  const startEv = mark(opts.startMark);
  const endEv = mark(opts.endMark);
  if (!startEv || !endEv) throw new Error(`the trace has no "${opts.startMark}"/"${opts.endMark}" marks: was blink.user_timing recorded?`);
  const [t0, t1] = [startEv.ts, endEv.ts];
  const main = key(startEv); // the mark was set on the page's main thread
  if (threads.get(main) !== "CrRendererMain") throw new Error(`the start mark is on ${threads.get(main) ?? "an unnamed thread"}, not a renderer main thread`);

  const onMain = events.filter((e) => key(e) === main).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const begins = onMain.filter((e) => e.name === "BeginMainThreadFrame" && e.ts >= t0 && e.ts <= t1).map((e) => e.ts);
  // Top-level tasks: RunTask events not inside another (a nested run loop's tasks are part of their parent).
  const tasks: TraceEvent[] = [];
  let end = -Infinity;
  for (const e of onMain) {
    if (e.ph !== "X" || e.name !== "RunTask") continue;
    if (e.ts >= end) {
      tasks.push(e);
      end = e.ts + (e.dur ?? 0);
    }
  }
  const costs = opts.costEvent
    ? onMain.filter((e) => e.name === "EventDispatch" && e.ph === "X" && (e.args as { data?: { type?: string } })?.data?.type === opts.costEvent)
    : [];
  const frames: FrameWork[] = [];
  let ti = 0;
  let ci = 0;
  for (let i = 0; i + 1 < begins.length; i++) {
    const [a, b] = [begins[i], begins[i + 1]];
    let cpu = 0;
    let wall = 0;
    while (ti < tasks.length && tasks[ti].ts < a) ti++;
    for (let j = ti; j < tasks.length && tasks[j].ts < b; j++) {
      cpu += tasks[j].tdur ?? tasks[j].dur ?? 0;
      wall += tasks[j].dur ?? 0;
    }
    let injected = 0;
    let injectedCpu = 0;
    while (ci < costs.length && costs[ci].ts < a) ci++;
    for (let j = ci; j < costs.length && costs[j].ts < b; j++) {
      injected++;
      injectedCpu += costs[j].tdur ?? costs[j].dur ?? 0;
    }
    frames.push({ start: a, cpuMs: cpu / 1000, wallMs: wall / 1000, injected, injectedCpuMs: injectedCpu / 1000 });
  }
  const skip = opts.skip ?? 0;
  const kept = frames.slice(skip);

  // Ticks over the kept frames' span: the compositor's BeginFrames of the same renderer.
  const from = kept[0]?.start ?? t0;
  const to = begins.at(-1) ?? t1;
  const seqs = events
    .filter((e) => e.name === "BeginFrame" && e.pid === startEv.pid && e.ts >= from && e.ts < to)
    .map((e) => Number((e.args as { frameSeqId?: number })?.frameSeqId))
    .filter(Number.isFinite);
  const ticks = seqs.length ? Math.max(...seqs) - Math.min(...seqs) + 1 : 0;
  const dropped = Math.max(0, ticks - kept.length);

  const { activity, byEvent } = activityTimes(onMain, from, to);
  return { frames: kept, ticks, dropped, activity, events: byEvent, functions: profileFunctions(events, startEv.pid, main, from, to) };
}

function activityTimes(onMain: TraceEvent[], from: number, to: number): { activity: Record<string, number>; byEvent: { name: string; ms: number }[] } {
  const out: Record<string, number> = {};
  const names = new Map<string, number>();
  // A stack of open events; each event's self time = its duration minus its children's.
  type Open = { e: TraceEvent; end: number; self: number; activity: string };
  const stack: Open[] = [];
  const close = (o: Open) => {
    if (o.e.ts < from || o.e.ts >= to) return;
    out[o.activity] = (out[o.activity] ?? 0) + o.self / 1000;
    names.set(o.e.name, (names.get(o.e.name) ?? 0) + o.self / 1000);
  };
  for (const e of onMain) {
    if (e.ph !== "X" || e.dur === undefined) continue;
    while (stack.length && stack.at(-1)!.end <= e.ts) close(stack.pop()!);
    const parent = stack.at(-1);
    const own = e.tdur ?? e.dur;
    if (parent) parent.self -= Math.min(own, parent.self);
    stack.push({ e, end: e.ts + e.dur, self: own, activity: ACTIVITY[e.name] ?? parent?.activity ?? "other" });
  }
  while (stack.length) close(stack.pop()!);
  for (const k of Object.keys(out)) out[k] = Math.round(out[k] * 10) / 10;
  const byEvent = [...names].map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 })).sort((a, b) => b.ms - a.ms);
  return { activity: out, byEvent };
}

type ProfileNode = { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber?: number; columnNumber?: number } };

/** Self time per JavaScript function from the V8 sampling profile the trace carries (ProfileChunk events). */
function profileFunctions(events: TraceEvent[], pid: number, mainKey: string, from: number, to: number): { name: string; ms: number }[] {
  const mainTid = Number(mainKey.split(":")[1]);
  // A profile's chunks share its id; the "Profile" event carries its start time and thread.
  const profiles = new Map<string, { start: number; nodes: Map<number, ProfileNode>; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    if (e.pid !== pid) continue;
    const id = String((e as { id?: string }).id);
    if (e.name === "Profile" && e.tid === mainTid) {
      const start = Number((e.args as { data?: { startTime?: number } })?.data?.startTime);
      profiles.set(id, { start, nodes: new Map(), samples: [], deltas: [] });
    } else if (e.name === "ProfileChunk") {
      const p = profiles.get(id);
      const data = (e.args as { data?: { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } })?.data;
      if (!p || !data) continue;
      for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
      p.samples.push(...(data.cpuProfile?.samples ?? []));
      p.deltas.push(...(data.timeDeltas ?? []));
    }
  }
  const self = new Map<string, number>();
  for (const p of profiles.values()) {
    let t = p.start;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.deltas[i] ?? 0;
      // A sample's time runs until the next sample.
      const span = p.deltas[i + 1] ?? 0;
      if (t < from || t >= to) continue;
      const cf = p.nodes.get(p.samples[i])?.callFrame;
      if (!cf || cf.functionName === "(idle)" || cf.functionName === "(program)") continue;
      const where = cf.url ? `${cf.url.split("/").at(-1)}:${(cf.lineNumber ?? 0) + 1}:${(cf.columnNumber ?? 0) + 1}` : "";
      const name = `${cf.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
      self.set(name, (self.get(name) ?? 0) + span / 1000);
    }
  }
  return [...self].map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 })).sort((a, b) => b.ms - a.ms);
}

/** The q-quantile (0..1) of xs, the same rule as the benchmarks' other figures. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}
