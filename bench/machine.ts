// What a figure in bench/results.json was measured on. `speed_ms` is the time of a fixed
// single-thread workload (an integer loop, 200,000 string keys into a Map, a sort of
// 200,000 numbers), median of three, taken before the groups run: these machines are of
// one kind on paper (2 cores, "AMD EPYC") yet ran the same code 2-4x apart from one day to
// another (seeding 100,000 records: 7.4 s on 2026-11-22, 32.9 s on 12-05), so a figure
// is compared across runs through it rather than by date.
import os from "node:os";

function workload(): number {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 50_000_000; i++) x = (x * 31 + i) | 0;
  const m = new Map<string, number>();
  for (let i = 0; i < 200_000; i++) m.set(`key-${i}-${x & 7}`, i);
  const a = Float64Array.from({ length: 200_000 }, (_, i) => Math.sin(i + m.size));
  a.sort();
  return performance.now() - t;
}

export function machineInfo() {
  const runs = [workload(), workload(), workload()].sort((a, b) => a - b);
  const [l1, l5] = os.loadavg();
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    node: process.version,
    date: new Date().toISOString(),
    speed_ms: Math.round(runs[1]!),
    load_average_at_start: `${l1!.toFixed(1)}/${l5!.toFixed(1)}`,
  };
}
