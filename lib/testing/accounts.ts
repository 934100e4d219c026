// A studio of its own for account tests: a fresh database (accounts change the mode of
// the whole studio, which must not leak into other test files sharing the test
// database), this process's settings pointed at it, and people with roles in a project.
import { afterAll, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import { authSecret, createAuth, type Auth } from "@/lib/auth/server/auth";
import { createOwner, signIn } from "@/lib/auth/server/accounts";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { db, type Db } from "@/lib/db/server/prisma";
import { ownDatabase } from "./db";

export type Person = "owner" | "editor" | "annotator" | "outsider";
export const PASSWORD = "correct horse battery";

export type Studio = {
  db: Db;
  auth: Auth;
  projectId: string;
  datasetId: string;
  /** A Cookie header for each person, from a real sign-in. */
  cookie: Record<Person, string>;
  userId: Record<Person, string>;
  /** Runs `fn` as the request of `person` (null: signed out). */
  as<T>(person: Person | null, fn: () => Promise<T>): Promise<T>;
  asCookie<T>(cookie: string, fn: () => Promise<T>): Promise<T>;
};

export const cookieHeader = (setCookie: string[]) => setCookie.map((c) => c.split(";")[0]).join("; ");

/** A studio with no accounts yet (single-user mode) on its own database. */
export function emptyStudio(): { get: () => { db: Db; auth: Auth; url: string } } {
  // Set before ownDatabase points the settings at the new database (which reads them afresh).
  process.env.DATAWRIGHT_SECRET_KEY = randomBytes(32).toString("base64");
  const own = ownDatabase("accounts", { processWide: true });
  let state: { db: Db; auth: Auth; url: string } | undefined;
  beforeAll(() => {
    // The app's own client (db()), now on this database: the code under test reads it.
    state = { db: db(), auth: createAuth(db(), authSecret()), url: own.get().url };
  });
  afterAll(() => state?.db.$disconnect());
  return { get: () => state! };
}

/** A studio with an owner, an editor and an annotator of one project, and an outsider. */
export function teamStudio(): () => Studio {
  const empty = emptyStudio();
  let studio: Studio | undefined;
  beforeAll(async () => {
    const { db: database, auth } = empty.get();
    const owner = await createOwner(database, auth, { name: "Olga", email: "owner@example.com", password: PASSWORD });
    const project = await database.project.create({ data: { name: "Team project" } });
    const dataset = await database.dataset.create({ data: { projectId: project.id, name: "Reviews", draft: { fields: [] } } });
    const cookie = { owner: cookieHeader(owner.setCookie) } as Record<Person, string>;
    const userId = { owner: owner.userId } as Record<Person, string>;
    for (const person of ["editor", "annotator", "outsider"] as const) {
      const email = `${person}@example.com`;
      const ctx = await auth.$context;
      const user = await ctx.internalAdapter.createUser({ name: person, email }, { method: "admin" });
      await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await ctx.password.hash(PASSWORD) });
      if (person !== "outsider") await database.projectMember.create({ data: { projectId: project.id, userId: user.id, role: person } });
      cookie[person] = cookieHeader((await signIn(database, auth, { email, password: PASSWORD }, `10.0.0.${person.length}`)).setCookie);
      userId[person] = user.id;
    }
    const asCookie = <T,>(c: string, fn: () => Promise<T>) => withRequestHeaders(new Headers(c ? { cookie: c } : {}), fn);
    studio = {
      db: database,
      auth,
      projectId: project.id,
      datasetId: dataset.id,
      cookie,
      userId,
      asCookie,
      as: (person, fn) => asCookie(person ? cookie[person] : "", fn),
    };
  });
  return () => studio!;
}

