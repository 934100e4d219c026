import { z } from "zod";

export const ProjectName = z.string().trim().min(1, "Give the project a name.").max(120, "Keep the name under 120 characters.");
export const CreateProjectInput = z.object({ name: ProjectName, description: z.string().max(2000).default("") });
export const RenameProjectInput = z.object({ id: z.uuid(), name: ProjectName });
export const DeleteProjectInput = z.object({ id: z.uuid() });
export type CreateProjectInput = z.infer<typeof CreateProjectInput>;
