/**
 * The lab's IndexedDB: every training group with its checkpoint rows, its latest training state and its latest
 * analysis. The train worker writes each flush (new rows, dropped rows, state, progress) in one transaction; the
 * page reads groups back after a reload or a crash and deletes old ones. Plain data only (structured clone).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AnalysisReport } from '../analysis/analysisReport.ts';
import type { RunBundle } from '../io/runBundle.ts';
import type { SeedCheckpoint } from '../train/batchedTrainer.ts';
import { appendCheckpoints, newTrainingBundle } from '../train/bundleBuilder.ts';
import type { TrainingConfig } from '../train/task.ts';

export const DB_NAME = 'trainmap';
const DB_VERSION = 1;

export type GroupStatus = 'new' | 'training' | 'paused' | 'done' | 'stopped' | 'failed';

export interface GroupRecord {
  id: string;
  /** Groups trained side by side belong to one lab session. */
  labId: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  status: GroupStatus;
  /** The setting values the group was started with (the lab's controls, the URL). */
  settings: Record<string, string | number | boolean | undefined>;
  config: TrainingConfig;
  seeds: number[];
  /** What the user asked for ('auto' or a name) and what it got. */
  backendRequested: string;
  backend?: { name: string; reason: string; adapter?: string };
  trainingId: string;
  /** The bundle's group as it started (name and config, the training id included). */
  head: { name: string; config: Record<string, unknown> };
  checkpoints: number;
  stepsDone: number;
  totalSteps: number;
  stateBytes: number;
  /** Why it stopped, when it did not finish. */
  message?: string;
}

export interface RowsRecord {
  groupId: string;
  step: number;
  epoch: number;
  rows: SeedCheckpoint[];
}

export interface StateRecord {
  groupId: string;
  stepsDone: number;
  bytes: Uint8Array;
}

export interface AnalysisRecord {
  groupId: string;
  checkpoints: number;
  at: number;
  report: AnalysisReport;
}

interface LabSchema extends DBSchema {
  groups: { key: string; value: GroupRecord; indexes: { byLab: string } };
  rows: { key: [string, number]; value: RowsRecord };
  states: { key: string; value: StateRecord };
  analyses: { key: string; value: AnalysisRecord };
}

export type LabDb = IDBPDatabase<LabSchema>;

export function openLabDb(name = DB_NAME): Promise<LabDb> {
  return openDB<LabSchema>(name, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('groups', { keyPath: 'id' }).createIndex('byLab', 'labId');
      db.createObjectStore('rows', { keyPath: ['groupId', 'step'] });
      db.createObjectStore('states', { keyPath: 'groupId' });
      db.createObjectStore('analyses', { keyPath: 'groupId' });
    },
  });
}

const rowsOf = (groupId: string) => IDBKeyRange.bound([groupId, -Infinity], [groupId, Infinity]);

export async function putGroup(db: LabDb, record: GroupRecord): Promise<void> {
  await db.put('groups', record);
}

export async function getGroup(db: LabDb, id: string): Promise<GroupRecord | undefined> {
  return db.get('groups', id);
}

export async function listGroups(db: LabDb): Promise<GroupRecord[]> {
  return (await db.getAll('groups')).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** What one flush writes, together. */
export interface GroupFlush {
  groupId: string;
  /** Rows with a step above this are gone (a resume recomputes them). */
  truncatedAfter: number | null;
  newCheckpoints: { step: number; epoch: number; rows: SeedCheckpoint[] }[];
  state: { stepsDone: number; bytes: Uint8Array };
  update: Partial<GroupRecord>;
}

export async function writeFlush(db: LabDb, f: GroupFlush): Promise<void> {
  const tx = db.transaction(['groups', 'rows', 'states'], 'readwrite');
  const rows = tx.objectStore('rows');
  const work: Promise<unknown>[] = [];
  if (f.truncatedAfter !== null)
    work.push(rows.delete(IDBKeyRange.bound([f.groupId, f.truncatedAfter], [f.groupId, Infinity], true)));
  for (const c of f.newCheckpoints)
    work.push(rows.put({ groupId: f.groupId, step: c.step, epoch: c.epoch, rows: c.rows }));
  work.push(tx.objectStore('states').put({ groupId: f.groupId, stepsDone: f.state.stepsDone, bytes: f.state.bytes }));
  const groups = tx.objectStore('groups');
  const group = await groups.get(f.groupId);
  if (!group) throw new Error(`the stored group ${f.groupId} is gone (deleted in another tab?)`);
  work.push(groups.put({ ...group, ...f.update, updatedAt: Date.now() }));
  await Promise.all([...work, tx.done]);
}

export async function updateGroup(db: LabDb, id: string, update: Partial<GroupRecord>): Promise<void> {
  const tx = db.transaction('groups', 'readwrite');
  const group = await tx.store.get(id);
  if (group) await tx.store.put({ ...group, ...update, updatedAt: Date.now() });
  await tx.done;
}

/** A group's bundle rebuilt from its rows, and its saved state. */
export async function loadGroup(
  db: LabDb,
  id: string,
): Promise<{
  record: GroupRecord;
  bundle: RunBundle;
  state: StateRecord | undefined;
  analysis: AnalysisRecord | undefined;
}> {
  const tx = db.transaction(['groups', 'rows', 'states', 'analyses']);
  const [record, batches, state, analysis] = await Promise.all([
    tx.objectStore('groups').get(id),
    tx.objectStore('rows').getAll(rowsOf(id)),
    tx.objectStore('states').get(id),
    tx.objectStore('analyses').get(id),
  ]);
  await tx.done;
  if (!record) throw new Error(`no stored group ${id}`);
  const bundle = newTrainingBundle(record.config, record.seeds);
  bundle.groups[0].name = record.head.name;
  bundle.groups[0].config = { ...record.head.config };
  for (const b of batches) appendCheckpoints(bundle, b.rows);
  return { record, bundle, state, analysis };
}

export async function saveAnalysis(db: LabDb, record: AnalysisRecord): Promise<void> {
  await db.put('analyses', record);
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

/** Bytes used and available to this origin, where the browser says. */
export async function storageUse(): Promise<{ used: number; quota: number } | null> {
  const est = await navigator.storage?.estimate?.();
  return est && est.usage !== undefined && est.quota !== undefined ? { used: est.usage, quota: est.quota } : null;
}
