// One person on loopback: no sign-in until a second account exists, or until
// DATAWRIGHT_ACCOUNTS=required, or when served beyond loopback.
import { afterEach, describe, expect, it } from "vitest";
import { saveLabelSchemaAction } from "@/lib/review/actions";
import { useDatabaseUrl } from "@/lib/env";
import { emptyStudio, PASSWORD } from "@/lib/testing/accounts";
import { createOwner } from "./accounts";
import { withRequestHeaders } from "./request";

const studio = emptyStudio();
const signedOut = <T,>(fn: () => Promise<T>) => withRequestHeaders(new Headers(), fn);

function setting(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  useDatabaseUrl(studio.get().url); // drops the cached settings
}

afterEach(() => {
  setting("DATAWRIGHT_ACCOUNTS", undefined);
  setting("DATAWRIGHT_HOST", undefined);
});

describe("single-user mode", () => {
  it("lets everything through as owner with no account, then with one, and asks for sign-in from the second", async () => {
    const { db, auth } = studio.get();
    const project = await db.project.create({ data: { name: "Mine" } });
    const ds = await db.dataset.create({ data: { projectId: project.id, name: "d", draft: { fields: [] } } });
    const call = () => signedOut(() => saveLabelSchemaAction({ datasetId: ds.id, schema: { labels: [] } }));
    expect(await call()).toMatchObject({ ok: true });
    await createOwner(db, auth, { name: "Me", email: "me@example.com", password: PASSWORD });
    expect(await call()).toMatchObject({ ok: true });
    const ctx = await auth.$context;
    await ctx.internalAdapter.createUser({ name: "Second", email: "second@example.com" }, { method: "admin" });
    expect(await call()).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    await db.user.deleteMany({ where: { email: "second@example.com" } });
    expect(await call()).toMatchObject({ ok: true });
  });

  it("asks for sign-in with one account when DATAWRIGHT_ACCOUNTS=required, or when served beyond loopback", async () => {
    const { db } = studio.get();
    const project = await db.project.create({ data: { name: "Mine too" } });
    const ds = await db.dataset.create({ data: { projectId: project.id, name: "d", draft: { fields: [] } } });
    const call = () => signedOut(() => saveLabelSchemaAction({ datasetId: ds.id, schema: { labels: [] } }));
    setting("DATAWRIGHT_ACCOUNTS", "required");
    expect(await call()).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    setting("DATAWRIGHT_ACCOUNTS", undefined);
    setting("DATAWRIGHT_HOST", "0.0.0.0");
    expect(await call()).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    setting("DATAWRIGHT_HOST", undefined);
    expect(await call()).toMatchObject({ ok: true });
  });
});
