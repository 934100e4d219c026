// scripts/worker.ts with its traffic observed, for the generation benchmark: one line on
// stdout per request sent ("S <ms>") and per 429 received with a retry-after
// ("R <ms> <retry-after ms>"), wall-clock ms, the limiter's clock. Written synchronously
// (stdout to a pipe is synchronous on Linux) so a SIGKILL loses no line already due.
import { transportProbe } from "../lib/runs/server/model-transport";

transportProbe.sent = (at) => process.stdout.write(`S ${at}\n`);
transportProbe.rateLimited = (at, ms) => process.stdout.write(`R ${at} ${ms}\n`);
await import("../scripts/worker");
