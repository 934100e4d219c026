"use server";
import { revalidatePath } from "next/cache";
import { setRole } from "@/lib/auth/server/accounts";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { CreateProjectInput, DeleteProjectInput, RenameProjectInput } from "@/lib/projects/schemas";
import { createProject, deleteProject, renameProject } from "@/lib/projects/server/projects";

export async function createProjectAction(input: unknown) {
  return action(CreateProjectInput, input, async (data, caller) => {
    const p = await createProject(db(), data);
    // With accounts, whoever creates a project owns it.
    if (caller?.user) await setRole(db(), { projectId: p.id, userId: caller.user.id, role: "owner" });
    revalidatePath("/");
    return { id: p.id };
  }, { role: "member" });
}

export async function renameProjectAction(input: unknown) {
  return action(RenameProjectInput, input, async ({ id, name }) => {
    await renameProject(db(), id, name);
    revalidatePath("/");
    revalidatePath(`/projects/${id}`);
  }, { role: "owner", project: (d) => ({ projectId: d.id }) });
}

export async function deleteProjectAction(input: unknown) {
  return action(DeleteProjectInput, input, async ({ id }) => {
    await deleteProject(db(), id);
    revalidatePath("/");
  }, { role: "owner", project: (d) => ({ projectId: d.id }) });
}
