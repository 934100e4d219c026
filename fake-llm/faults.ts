// Which fault an admitted chat request gets (see FAULT_KINDS): the x-fake-fault header,
// then the configured sequence, then one draw against the rates.
import type http from "node:http";
import { type Rng, mulberry32 } from "./random";
import { FAULT_KINDS, type FaultKind, type ResolvedOptions } from "./options";
import type { ParsedChat } from "./request";

export class FaultPicker {
  private rng: Rng = Math.random;
  private pos = 0;

  /** Restarts faultSequence and the faultSeed draws. */
  reset(opts: ResolvedOptions) {
    this.rng = opts.faultSeed === undefined ? Math.random : mulberry32(opts.faultSeed);
    this.pos = 0;
  }

  pick(opts: ResolvedOptions, req: http.IncomingMessage, p: ParsedChat): FaultKind | null {
    if (opts.headerFaults) {
      const h = req.headers["x-fake-fault"];
      if (typeof h === "string" && h) {
        if ((FAULT_KINDS as readonly string[]).includes(h)) return h as FaultKind;
        if (h === "none") return null;
      }
    }
    if (this.pos < opts.faultSequence.length) return opts.faultSequence[this.pos++] ?? null;
    const o = opts;
    if (o.failRate + o.rate429 + o.hangRate + o.brokenJsonRate + o.wrongSchemaRate + o.disconnectRate + o.oddBytesRate + o.rate400 === 0) return null;
    // One draw per admitted request keeps seeded fault patterns reproducible.
    let u = this.rng();
    if ((u -= o.failRate) < 0) return "500";
    if ((u -= o.rate429) < 0) return "429";
    if ((u -= o.hangRate) < 0) return "hang";
    if ((u -= o.disconnectRate) < 0) return "disconnect";
    if ((u -= o.brokenJsonRate) < 0) return p.format !== "text" ? "broken-json" : null;
    if ((u -= o.wrongSchemaRate) < 0) return p.format === "json_schema" ? "wrong-schema" : null;
    if ((u -= o.oddBytesRate) < 0) return "odd-bytes";
    if ((u -= o.rate400) < 0) return "400";
    return null;
  }
}
