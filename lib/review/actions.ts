"use server";
// Review writes from the grid. Each validates with the schema the client uses and calls one
// service; no revalidatePath: the grid holds its rows in TanStack Query and patches them.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { action } from "@/lib/errors/action";
import {
  BulkDecideInput,
  BulkLabelInput,
  CommentInput,
  DecideInput,
  EditFieldInput,
  SaveLabelSchemaInput,
  SetLabelsInput,
  RestoreVersionInput,
  UndoInput,
} from "./schemas";
import { listVersions, restoreVersion } from "./server/versions";
import { actorOf } from "@/lib/audit/server/audit";

import { AdjudicateInput, AssignInput, DatasetRef, QueueInput, TeamDecideInput } from "./team-schemas";
import { adjudicate, assignRecords, clearAssignments, decideAsAssignee, myQueue, teamAgreement, teamProgress } from "./server/team";
import { decideForCaller, mayReview, personOf } from "./server/team-caller";

const RecordIdInput = z.object({ recordId: z.uuid() });
import { addComment, bulkDecide, bulkLabel, editField, saveLabelSchema, setLabels, undoAction as undo } from "./server/decisions";

// Once a dataset has assignments, an annotator's decision is their own (RecordReview) and
// the record's final one follows from everyone's (server/team.ts); records not assigned to
// them are refused, here on the server, whatever the page showed.
export async function decideAction(input: unknown) {
  return action(DecideInput, input, (data, caller) => decideForCaller(db(), data, caller), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function setLabelsAction(input: unknown) {
  return action(SetLabelsInput, input, async (data, caller) => (await mayReview(db(), data.recordId, caller), setLabels(db(), data, actorOf(caller))), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function editFieldAction(input: unknown) {
  return action(EditFieldInput, input, async (data, caller) => (await mayReview(db(), data.recordId, caller), editField(db(), data, actorOf(caller))), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function commentAction(input: unknown) {
  return action(CommentInput, input, async (data, caller) => (await mayReview(db(), data.recordId, caller), addComment(db(), data)), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function bulkDecideAction(input: unknown) {
  return action(BulkDecideInput, input, (data, caller) => bulkDecide(db(), data, actorOf(caller)), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function bulkLabelAction(input: unknown) {
  return action(BulkLabelInput, input, (data, caller) => bulkLabel(db(), data, actorOf(caller)), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function undoAction(input: unknown) {
  return action(UndoInput, input, (data) => undo(db(), data), { role: "annotator", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function saveLabelSchemaAction(input: unknown) {
  return action(SaveLabelSchemaInput, input, ({ datasetId, schema }, caller) => saveLabelSchema(db(), datasetId, schema, actorOf(caller)), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}


// Reading a record's history is a read every reviewer does in the detail panel (annotator);
// restoring one rewrites the record's generated values, which an editor owns.
export async function restoreVersionAction(input: unknown) {
  return action(RestoreVersionInput, input, (data, caller) => restoreVersion(db(), data, actorOf(caller)), { role: "editor", project: (d) => ({ recordId: d.recordId }) });
}
export async function recordVersionsAction(input: unknown) {
  return action(RecordIdInput, input, ({ recordId }) => listVersions(db(), recordId), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}

// Team review (issue 17, items 3-5): editors assign, settle and read agreement; everyone
// assigned works through their own queue.
export async function assignAction(input: unknown) {
  return action(AssignInput, input, (data, caller) => assignRecords(db(), data, personOf(caller).name), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function clearAssignmentsAction(input: unknown) {
  return action(DatasetRef, input, ({ datasetId }) => clearAssignments(db(), datasetId), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function teamProgressAction(input: unknown) {
  return action(DatasetRef, input, ({ datasetId }) => teamProgress(db(), datasetId), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function myQueueAction(input: unknown) {
  return action(QueueInput, input, ({ datasetId, ...page }, caller) => myQueue(db(), datasetId, personOf(caller).userId, page), { role: "annotator", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function decideAsAssigneeAction(input: unknown) {
  return action(TeamDecideInput, input, (data, caller) => decideAsAssignee(db(), data, personOf(caller)), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function teamAgreementAction(input: unknown) {
  return action(DatasetRef, input, ({ datasetId }) => teamAgreement(db(), rawPool(), datasetId), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function adjudicateAction(input: unknown) {
  return action(AdjudicateInput, input, (data, caller) => adjudicate(db(), data, { userId: caller?.user?.id ?? null, name: personOf(caller).name }), { role: "editor", project: (d) => ({ recordId: d.recordId }) });
}
