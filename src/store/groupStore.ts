/**
 * Reading and writing groups in the lab's database (labDb.ts): a group's record, its rows rebuilt into a bundle,
 * its state, the flush a training session hands over, and the page's own facts (analyses, the open view). The
 * writers of a group's record, rows and state are called only by the holder of its lock (labDb.ts says who).
 */
import type { AnalysisReport } from '../analysis/analysisReport.ts';
import type { RunBundle } from '../io/runBundle.ts';
import { appendCheckpoints, newTrainingBundle } from '../train/bundleBuilder.ts';
import type { GroupStatus } from '../train/groupStatus.ts';
import type { CheckpointBatch } from '../train/sessionTypes.ts';
import type { AnalysisRecord, GroupRecord, LabDb, RowsRecord, StateRecord, ViewRecord } from './labDb.ts';

const rowsOf = (groupId: string, after = -Infinity) =>
  IDBKeyRange.bound([groupId, after], [groupId, Infinity], after !== -Infinity);

/** A new group's record; refused if the id exists. */
export async function createGroup(db: LabDb, record: GroupRecord): Promise<void> {
  await db.add('groups', record);
}

export async function getGroup(db: LabDb, id: string): Promise<GroupRecord | undefined> {
  return db.get('groups', id);
}

/** Every stored group, the most recently changed first. */
export async function listGroups(db: LabDb): Promise<GroupRecord[]> {
  return (await db.getAll('groups')).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The groups of one lab session, in the order they were created. */
export async function sessionGroups(db: LabDb, sessionId: string): Promise<GroupRecord[]> {
  return (await db.getAllFromIndex('groups', 'bySession', sessionId)).sort((a, b) => a.createdAt - b.createdAt);
}

/** Changes fields of a stored group's record; false when the group is gone. */
export async function updateGroup(db: LabDb, id: string, update: Partial<GroupRecord>): Promise<boolean> {
  const tx = db.transaction('groups', 'readwrite');
  const group = await tx.store.get(id);
  if (group) await tx.store.put({ ...group, ...update, id, updatedAt: Date.now() });
  await tx.done;
  return group !== undefined;
}

/** Sets the status (and its reason, or none). */
export async function setGroupStatus(db: LabDb, id: string, status: GroupStatus, reason?: string): Promise<void> {
  const tx = db.transaction('groups', 'readwrite');
  const group = await tx.store.get(id);
  if (!group) throw new Error(`the stored group ${id} is gone (deleted in another tab?)`);
  const { reason: _old, ...rest } = group;
  await tx.store.put({ ...rest, ...(reason ? { reason } : {}), status, updatedAt: Date.now() });
  await tx.done;
}

/** What one flush writes, together: the rows a resume dropped gone, the new rows, the state and the counts. */
export interface GroupFlush {
  groupId: string;
  /** Rows with a step above this are gone (a resume recomputes them). */
  truncatedAfter: number | null;
  newCheckpoints: CheckpointBatch[];
  state: { stepsDone: number; bytes: Uint8Array };
  checkpoints: number;
}

export async function writeFlush(db: LabDb, f: GroupFlush): Promise<void> {
  const tx = db.transaction(['groups', 'rows', 'states'], 'readwrite');
  const rows = tx.objectStore('rows');
  const work: Promise<unknown>[] = [];
  if (f.truncatedAfter !== null) work.push(rows.delete(rowsOf(f.groupId, f.truncatedAfter)));
  for (const c of f.newCheckpoints)
    work.push(rows.put({ groupId: f.groupId, step: c.step, epoch: c.epoch, rows: c.rows }));
  work.push(tx.objectStore('states').put({ groupId: f.groupId, stepsDone: f.state.stepsDone, bytes: f.state.bytes }));
  const groups = tx.objectStore('groups');
  const group = await groups.get(f.groupId);
  if (!group) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error(`the stored group ${f.groupId} is gone (deleted in another tab?)`);
  }
  const update = { stepsDone: f.state.stepsDone, stateBytes: f.state.bytes.byteLength, checkpoints: f.checkpoints };
  work.push(groups.put({ ...group, ...update, updatedAt: Date.now() }));
  await Promise.all([...work, tx.done]);
}

/** A bundle of the group's configuration with no rows yet, named and configured as it started. */
export function emptyBundle(record: GroupRecord): RunBundle {
  const bundle = newTrainingBundle(record.config, record.seeds);
  bundle.groups[0].name = record.head.name;
  bundle.groups[0].config = { ...record.head.config };
  return bundle;
}

export interface StoredGroup {
  record: GroupRecord;
  bundle: RunBundle;
  state: StateRecord | undefined;
  analysis: AnalysisRecord | undefined;
}

/** A group's record, its bundle rebuilt from its rows, its saved state and its last analysis, read together. */
export async function loadGroup(db: LabDb, id: string): Promise<StoredGroup> {
  const tx = db.transaction(['groups', 'rows', 'states', 'analyses']);
  const [record, batches, state, analysis] = await Promise.all([
    tx.objectStore('groups').get(id),
    tx.objectStore('rows').getAll(rowsOf(id)),
    tx.objectStore('states').get(id),
    tx.objectStore('analyses').get(id),
    tx.done,
  ]);
  if (!record) throw new Error(`no stored group ${id} (deleted in another tab?)`);
  const bundle = emptyBundle(record);
  for (const b of batches) appendCheckpoints(bundle, b.rows);
  return { record, bundle, state, analysis };
}

/** The group's record and its rows after `step`, read together (a tab following another's training). */
export async function readRowsAfter(
  db: LabDb,
  id: string,
  step: number,
): Promise<{ record: GroupRecord | undefined; rows: RowsRecord[] }> {
  const tx = db.transaction(['groups', 'rows']);
  const [record, rows] = await Promise.all([
    tx.objectStore('groups').get(id),
    tx.objectStore('rows').getAll(rowsOf(id, step)),
    tx.done,
  ]);
  return { record, rows };
}

export async function deleteGroup(db: LabDb, id: string): Promise<void> {
  const tx = db.transaction(['groups', 'rows', 'states', 'analyses'], 'readwrite');
  await Promise.all([
    tx.objectStore('groups').delete(id),
    tx.objectStore('rows').delete(rowsOf(id)),
    tx.objectStore('states').delete(id),
    tx.objectStore('analyses').delete(id),
    tx.done,
  ]);
}

/** The page's own: the newest analysis of a group it shows, so a reload draws the map at once. */
export async function saveAnalysis(
  db: LabDb,
  groupId: string,
  report: AnalysisReport,
  checkpoints: number,
): Promise<void> {
  const tx = db.transaction(['groups', 'analyses'], 'readwrite');
  // A group deleted meanwhile keeps no orphaned analysis.
  if (await tx.objectStore('groups').get(groupId))
    await tx.objectStore('analyses').put({ groupId, checkpoints, at: Date.now(), report });
  await tx.done;
}

export async function getOpenView(db: LabDb): Promise<ViewRecord | undefined> {
  return db.get('views', 'open');
}

export async function putOpenView(db: LabDb, view: Omit<ViewRecord, 'key' | 'at'>): Promise<void> {
  await db.put('views', { key: 'open', at: Date.now(), ...view });
}

/** Bytes used and available to this origin, where the browser says. */
export async function storageUse(): Promise<{ used: number; quota: number } | null> {
  const est = await navigator.storage?.estimate?.();
  return est && est.usage !== undefined && est.quota !== undefined ? { used: est.usage, quota: est.quota } : null;
}
