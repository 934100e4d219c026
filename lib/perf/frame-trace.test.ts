import { describe, expect, it } from "vitest";
import { frameReport, quantile, type TraceEvent } from "./frame-trace";

const PID = 7;
const MAIN = 7;
const COMPOSITOR = 9;
const OTHER_RENDERER = 8;

const meta = (tid: number, name: string, pid = PID): TraceEvent => ({ name: "thread_name", ph: "M", ts: 0, pid, tid, args: { name } });
const mark = (name: string, ts: number, tid = MAIN): TraceEvent => ({ name, ph: "R", ts, pid: PID, tid, cat: "blink.user_timing" });
const bmf = (ts: number, tid = MAIN, pid = PID): TraceEvent => ({ name: "BeginMainThreadFrame", ph: "I", ts, pid, tid });
const task = (ts: number, dur: number, tdur?: number, tid = MAIN): TraceEvent => ({ name: "RunTask", ph: "X", ts, dur, tdur, pid: PID, tid });
const x = (name: string, ts: number, dur: number): TraceEvent => ({ name, ph: "X", ts, dur, pid: PID, tid: MAIN });
const tick = (ts: number, frameSeqId: number): TraceEvent => ({ name: "BeginFrame", ph: "I", ts, pid: PID, tid: COMPOSITOR, args: { frameSeqId } });
const base = [meta(MAIN, "CrRendererMain"), meta(COMPOSITOR, "Compositor"), meta(OTHER_RENDERER, "CrRendererMain", 8)];
const opts = { startMark: "scroll-start", endMark: "scroll-end" };

describe("frameReport", () => {
  it("sums the thread time of the top-level tasks started in each frame, in ms", () => {
    const events = [
      ...base,
      mark("scroll-start", 1_000),
      task(500, 9_000, 9_000), // before the window: not a frame's
      bmf(10_000),
      task(10_000, 4_000, 3_000),
      task(10_500, 1_000, 900), // inside the task above (a nested run loop): counted with it
      task(15_000, 2_000, 1_000), // between frames: still this frame's work
      bmf(26_000),
      task(26_000, 12_000, 12_000),
      bmf(42_000),
      bmf(58_000), // an idle frame
      bmf(74_000),
      mark("scroll-end", 80_000),
      task(81_000, 5_000, 5_000), // after the window
    ];
    const r = frameReport(events, opts);
    expect(r.frames.map((f) => f.cpuMs)).toEqual([4, 12, 0, 0]);
    expect(r.frames.map((f) => f.wallMs)).toEqual([6, 12, 0, 0]);
  });

  it("reads only the page's main thread (the one its marks are on), not another renderer's", () => {
    const events = [...base, mark("scroll-start", 0), bmf(10), bmf(10, OTHER_RENDERER, 8), task(20, 5_000, 5_000, OTHER_RENDERER), { ...task(20, 5_000, 5_000), pid: 8, tid: OTHER_RENDERER }, bmf(20_000), mark("scroll-end", 30_000)];
    const r = frameReport(events, opts);
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0].cpuMs).toBe(0);
  });

  it("falls back to wall time when a task has no thread time", () => {
    const r = frameReport([...base, mark("scroll-start", 0), bmf(10), task(20, 3_000), bmf(16_000), mark("scroll-end", 17_000)], opts);
    expect(r.frames[0].cpuMs).toBe(3);
  });

  it("skips the first frames and counts the ticks without a main-thread frame as dropped", () => {
    const events = [...base, mark("scroll-start", 0)];
    // Ticks every 16 ms, numbered 1..20; main frames on ticks 1-3, then 5, 8, 9 (4, 6 and 7 missed).
    for (let i = 1; i <= 20; i++) events.push(tick(i * 16_000, i));
    for (const i of [1, 2, 3, 5, 8, 9]) events.push(bmf(i * 16_000 + 100));
    events.push(mark("scroll-end", 9 * 16_000 + 5_000));
    const r = frameReport(events, { ...opts, skip: 2 });
    // Frames from the 3rd main frame on: 3→5, 5→8, 8→9. The ticks after each frame's start
    // up to the next one's: 4..9 = 6, of which 4, 6 and 7 began no main frame.
    expect(r.frames.map((f) => f.start)).toEqual([3, 5, 8].map((i) => i * 16_000 + 100));
    expect(r.ticks).toBe(6);
    expect(r.dropped).toBe(3);
  });

  it("counts the injected work per frame and its thread time, from its event's dispatches", () => {
    const cost = (ts: number, tdur: number, type = "cost"): TraceEvent => ({ name: "EventDispatch", ph: "X", ts, dur: 10_000, tdur, pid: PID, tid: MAIN, args: { data: { type } } });
    const events = [...base, mark("scroll-start", 0), bmf(10), cost(100, 4_000), cost(5_000, 6_000), cost(6_000, 9_000, "scroll"), bmf(16_000), cost(16_500, 7_000), bmf(32_000), mark("scroll-end", 33_000)];
    const r = frameReport(events, { ...opts, costEvent: "cost" });
    expect(r.frames.map((f) => [f.injected, f.injectedCpuMs])).toEqual([[2, 10], [1, 7]]);
  });

  it("charges self time to the nearest named activity", () => {
    const events = [
      ...base,
      mark("scroll-start", 0),
      bmf(10),
      task(1_000, 10_000),
      x("FunctionCall", 1_000, 6_000),
      x("Layout", 2_000, 2_000), // a layout forced by the script: layout's, not the script's
      x("v8.compile", 5_000, 1_000), // unnamed, inside the script: the script's
      x("Paint", 8_000, 3_000),
      bmf(16_000),
      mark("scroll-end", 17_000),
    ];
    const r = frameReport(events, opts);
    expect(r.activity).toEqual({ other: 1, script: 4, layout: 2, paint: 3 });
  });

  it("uses thread time for the activities where the trace has it", () => {
    const events = [...base, mark("scroll-start", 0), bmf(10), { ...x("FunctionCall", 1_000, 6_000), tdur: 3_000 }, { ...x("Layout", 2_000, 2_000), tdur: 1_000 }, bmf(16_000), mark("scroll-end", 17_000)];
    expect(frameReport(events, opts).activity).toEqual({ script: 2, layout: 1 });
  });

  it("gives the self time of each trace event name too, most first", () => {
    const events = [...base, mark("scroll-start", 0), bmf(10), x("Paint", 1_000, 3_000), x("Layerize", 4_000, 1_000), x("Paint", 6_000, 2_000), bmf(16_000), mark("scroll-end", 17_000)];
    expect(frameReport(events, opts).events).toEqual([{ name: "Paint", ms: 5 }, { name: "Layerize", ms: 1 }]);
  });

  it("adds up the CPU profile's samples per function inside the window", () => {
    const node = (id: number, functionName: string, parent?: number) => ({ id, parent, callFrame: { functionName, url: `http://x/_next/static/chunks/app.js`, lineNumber: 0, columnNumber: id } });
    const events: TraceEvent[] = [
      ...base,
      mark("scroll-start", 10_000),
      bmf(10_001),
      bmf(30_000),
      mark("scroll-end", 40_000),
      { name: "Profile", ph: "P", ts: 0, pid: PID, tid: MAIN, args: { data: { startTime: 9_000 } }, ...{ id: "0x1" } },
      {
        name: "ProfileChunk",
        ph: "P",
        ts: 0,
        pid: PID,
        tid: 99, // the profiler's own thread carries the chunks
        ...{ id: "0x1" },
        // Samples at 9,000 (before), 11,000, 12,000, 15,000, 16,000.
        args: { data: { cpuProfile: { nodes: [node(1, "(root)"), node(2, "render", 1), node(3, "(idle)", 1)], samples: [2, 2, 2, 3, 2] }, timeDeltas: [0, 2_000, 1_000, 3_000, 1_000] } },
      },
    ];
    const r = frameReport(events, opts);
    // 11,000 runs 1 ms to the next sample, 12,000 runs 3 ms; idle is left out; the last has no next.
    expect(r.functions).toEqual([{ name: "render app.js:1:3", ms: 4 }]);
  });

  it("says so when the marks are missing", () => {
    expect(() => frameReport(base, opts)).toThrow(/scroll-start/);
  });
});

describe("quantile", () => {
  it("takes the value at the quantile's rank", () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95)).toBe(20);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
