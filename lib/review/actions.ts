"use server";
// Review writes from the grid. Each validates with the schema the client uses and calls one
// service; no revalidatePath: the grid holds its rows in TanStack Query and patches them.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
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

const RecordIdInput = z.object({ recordId: z.uuid() });
import { addComment, bulkDecide, bulkLabel, decide, editField, saveLabelSchema, setLabels, undoAction as undo } from "./server/decisions";

export async function decideAction(input: unknown) {
  return action(DecideInput, input, (data) => decide(db(), data), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function setLabelsAction(input: unknown) {
  return action(SetLabelsInput, input, (data) => setLabels(db(), data), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function editFieldAction(input: unknown) {
  return action(EditFieldInput, input, (data) => editField(db(), data), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function commentAction(input: unknown) {
  return action(CommentInput, input, (data) => addComment(db(), data), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
export async function bulkDecideAction(input: unknown) {
  return action(BulkDecideInput, input, (data) => bulkDecide(db(), data), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function bulkLabelAction(input: unknown) {
  return action(BulkLabelInput, input, (data) => bulkLabel(db(), data), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function undoAction(input: unknown) {
  return action(UndoInput, input, (data) => undo(db(), data), { role: "annotator", project: (d) => ({ datasetId: d.datasetId }) });
}
export async function saveLabelSchemaAction(input: unknown) {
  return action(SaveLabelSchemaInput, input, ({ datasetId, schema }) => saveLabelSchema(db(), datasetId, schema), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}


// Reading a record's history is a read every reviewer does in the detail panel (annotator);
// restoring one rewrites the record's generated values, which an editor owns.
export async function restoreVersionAction(input: unknown) {
  return action(RestoreVersionInput, input, (data) => restoreVersion(db(), data), { role: "editor", project: (d) => ({ recordId: d.recordId }) });
}
export async function recordVersionsAction(input: unknown) {
  return action(RecordIdInput, input, ({ recordId }) => listVersions(db(), recordId), { role: "annotator", project: (d) => ({ recordId: d.recordId }) });
}
