// What the settings page passes to its client components: the services' shapes with
// dates as ISO strings. Type-only imports, so no server code reaches the browser.
import type { ConnectionSummary, PriceRow } from "@/lib/providers/server/connections";

export type ConnectionView = Omit<ConnectionSummary, "createdAt" | "updatedAt"> & { updatedAt: string };

export type PriceView = PriceRow;
