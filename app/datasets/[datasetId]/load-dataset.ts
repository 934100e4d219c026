import { notFound } from "next/navigation";
import { cache } from "react";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";

/**
 * The dataset with its project and seed tables, read once per request: the layout and
 * the page below it both need it. A malformed or unknown id is a 404.
 */
export const loadDataset = cache(async (datasetId: string) => {
  if (!/^[0-9a-f-]{36}$/i.test(datasetId)) notFound();
  return getDataset(db(), datasetId).catch((e) => {
    if (e instanceof DomainError && e.code === "not_found") notFound();
    throw e;
  });
});
