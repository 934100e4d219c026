// Scrolls an element at a steady rate under a Chromium trace and reads per-frame main-thread
// work from it (lib/perf/frame-trace.ts says what is measured and why). The requestAnimationFrame
// deltas of the same scroll are kept as a second figure.
import fs from "node:fs";
import type { Browser, Page } from "@playwright/test";
import { FRAME_TRACE_CATEGORIES, frameReport, quantile, type FrameReport, type TraceEvent } from "@/lib/perf/frame-trace";

export const COST_EVENT = "bench-row-cost";
const round = (n: number) => Math.round(n * 10) / 10;

export type ScrollTrace = {
  report: FrameReport;
  rafDeltas: number[];
  maxRows: number;
  scrolledTo: number;
  /** Injected busy-loop calls (see rowCostMs). */
  injected: number;
};

/**
 * The scroll moves `pxPerFrame` each frame for `frames` frames: the same work in every frame
 * and every run. A rate in time (px per second) was tried first: on a loaded machine each
 * frame then jumps further, renders more rows and costs more, so the machine's load fed
 * into the figure (11 frames of 90 ms in 4 s at load 26, where a frame covered 50 rows).
 * `rowCostMs` (validation only) makes every Number#toFixed call busy-wait that long, inside
 * the dispatch of a DOM event: the grid formats each row's cost once per row render, so this
 * adds a known cost per row render from outside the product, and the event's trace entries
 * say how much thread time was added to each frame (less than the wall time it waits when
 * the machine is shared).
 */
export async function traceScroll(browser: Browser, page: Page, opts: { selector: string; pxPerFrame: number; frames: number; rowCostMs?: number; skip?: number }): Promise<ScrollTrace> {
  await browser.startTracing(page, { categories: FRAME_TRACE_CATEGORIES });
  let run: { deltas: number[]; maxRows: number; scrolledTo: number; injected: number };
  let trace: Buffer;
  try {
    // A string, not a function: the bundler's helpers (e.g. __name) do not exist in the page.
    run = (await page.evaluate(`new Promise((done) => {
      const grid = document.querySelector(${JSON.stringify(opts.selector)});
      const cost = ${opts.rowCostMs ?? 0};
      const toFixed = Number.prototype.toFixed;
      let injected = 0;
      const busy = () => {
        const t = performance.now();
        while (performance.now() - t < cost);
      };
      // A node, not window: Chromium traces EventDispatch for nodes only.
      const target = document.createElement("span");
      if (cost > 0) {
        target.addEventListener(${JSON.stringify(COST_EVENT)}, busy);
        Number.prototype.toFixed = function (d) {
          target.dispatchEvent(new Event(${JSON.stringify(COST_EVENT)}));
          injected++;
          return toFixed.call(this, d);
        };
      }
      const deltas = [];
      let maxRows = 0;
      let n = 0;
      let last = 0;
      const step = (now) => {
        if (n === 0) performance.mark("scroll-start");
        else deltas.push(now - last);
        last = now;
        grid.scrollTop += ${opts.pxPerFrame};
        maxRows = Math.max(maxRows, grid.querySelectorAll('[role="row"]').length);
        if (++n < ${opts.frames}) requestAnimationFrame(step);
        else {
          performance.mark("scroll-end");
          Number.prototype.toFixed = toFixed;
          target.removeEventListener(${JSON.stringify(COST_EVENT)}, busy);
          done({ deltas: deltas.slice(5), maxRows, scrolledTo: grid.scrollTop, injected });
        }
      };
      requestAnimationFrame(step);
    })`)) as typeof run;
  } finally {
    trace = await browser.stopTracing();
  }
  // TRACE_OUT=/tmp/t keeps each raw trace (/tmp/t-<ms>.json), to open in DevTools' Performance panel.
  if (process.env.TRACE_OUT) fs.writeFileSync(`${process.env.TRACE_OUT}-${Date.now()}.json`, trace);
  const parsed = JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const report = frameReport(events, { startMark: "scroll-start", endMark: "scroll-end", skip: opts.skip ?? 5, costEvent: COST_EVENT });
  return { report, rafDeltas: run.deltas, maxRows: run.maxRows, scrolledTo: run.scrolledTo, injected: run.injected };
}

/** The figures of one traced scroll, for logs and results. */
export function scrollFigures(s: ScrollTrace) {
  const cpu = s.report.frames.map((f) => f.cpuMs);
  const wall = s.report.frames.map((f) => f.wallMs);
  return {
    frames: s.report.frames.length,
    cpu_p50: round(quantile(cpu, 0.5)),
    cpu_p95: round(quantile(cpu, 0.95)),
    wall_p50: round(quantile(wall, 0.5)),
    wall_p95: round(quantile(wall, 0.95)),
    dropped_share: s.report.ticks ? Math.round((s.report.dropped / s.report.ticks) * 1000) / 1000 : NaN,
    raf_p50: round(quantile(s.rafDeltas, 0.5)),
    raf_p95: round(quantile(s.rafDeltas, 0.95)),
  };
}
