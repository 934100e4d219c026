"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText, Input } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { createProjectAction, deleteProjectAction, renameProjectAction } from "@/lib/projects/actions";
import { DeleteButton } from "@/components/ui/delete-button";

export type ProjectSummary = { id: string; name: string; description: string; updatedAt: string; datasetCount: number };

export function ProjectList({ projects }: { projects: ProjectSummary[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: (n: string) => unwrap(createProjectAction({ name: n })),
    onSuccess: ({ id }) => {
      setName("");
      router.push(`/projects/${id}`);
    },
  });

  return (
    <div className="space-y-6">
      <form
        className="flex max-w-xl items-start gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name);
        }}
      >
        <div className="flex-1">
          <Input
            aria-label="New project name"
            placeholder="New project name, e.g. Support ticket classifier"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!create.error}
            aria-describedby={create.error ? "new-project-error" : undefined}
          />
          <ErrorText id="new-project-error">{create.error?.message}</ErrorText>
        </div>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create project"}
        </Button>
      </form>

      {projects.length === 0 ? (
        <EmptyState title="No projects yet">
          A project holds the datasets for one model or task. Create one above to start designing a dataset.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white">
          {projects.map((p) => (
            <ProjectRow key={p.id} project={p} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ProjectRow({ project }: { project: ProjectSummary }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const rename = useMutation({
    mutationFn: () => unwrap(renameProjectAction({ id: project.id, name })),
    onSuccess: () => {
      setEditing(false);
      router.refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(deleteProjectAction({ id: project.id })),
    onSuccess: () => router.refresh(),
  });

  return (
    <li className="flex items-center gap-4 px-4 py-3">
      {editing ? (
        <form
          className="flex flex-1 items-start gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate();
          }}
        >
          <div className="flex-1">
            <Input
              autoFocus
              aria-label="Project name"
              aria-invalid={!!rename.error}
              aria-describedby={rename.error ? "rename-project-error" : undefined}
              value={name}
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
            />
            <ErrorText id="rename-project-error">{rename.error?.message}</ErrorText>
          </div>
          <Button type="submit" variant="primary" size="sm" disabled={rename.isPending}>Save</Button>
          <Button size="sm" onClick={() => setEditing(false)}>Cancel</Button>
        </form>
      ) : (
        <>
          <Link href={`/projects/${project.id}`} className="flex-1 hover:underline">
            <span className="font-medium">{project.name}</span>
            <span className="ml-3 text-sm text-stone-500">
              {project.datasetCount} dataset{project.datasetCount === 1 ? "" : "s"}
            </span>
          </Link>
          <Button size="sm" variant="ghost" onClick={() => setEditing(true)} aria-label={`Rename ${project.name}`}>
            Rename
          </Button>
          <DeleteButton
            name={project.name}
            question={`Delete "${project.name}" and all its datasets? This cannot be undone.`}
            pending={remove.isPending}
            onDelete={() => remove.mutate()}
          />
          <ErrorText>{remove.error?.message}</ErrorText>
        </>
      )}
    </li>
  );
}
