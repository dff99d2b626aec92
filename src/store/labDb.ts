/**
 * The lab's IndexedDB: its shape, its records and the upgrade from earlier versions. A group (one configuration
 * trained over many seeds) has its record, its checkpoint rows, its latest training state and its latest analysis;
 * the groups of one lab session were trained side by side to be compared. `views` holds the page's own facts
 * (which session was open). Plain data only (structured clone).
 *
 * Who writes what: whoever holds a group's lock (groupLocks.ts) is the only writer of its record, rows and state:
 * the train worker while it trains the group, or the page for a moment, to settle a group no worker stands behind
 * or to delete it. The page writes analyses and views, which are its own.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { AnalysisReport } from '../analysis/analysisReport.ts';
import type { SeedCheckpoint } from '../train/batchedTrainer.ts';
import { GROUP_STATUSES, type GroupStatus } from '../train/groupStatus.ts';
import type { TrainingConfig } from '../train/task.ts';

export const DB_NAME = 'trainmap';
export const DB_VERSION = 2;

export interface GroupRecord {
  id: string;
  /** The lab session the group belongs to: groups trained side by side, to be compared. */
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  status: GroupStatus;
  /** Why it failed or was interrupted, in words. */
  reason?: string;
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
  stateBytes: number;
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

/** What the page showed last: a reload (or a plain visit) opens it again. */
export interface ViewRecord {
  key: 'open';
  sessionId: string | null;
  groupId: string | null;
  at: number;
}

interface LabSchema extends DBSchema {
  groups: { key: string; value: GroupRecord; indexes: { bySession: string } };
  rows: { key: [string, number]; value: RowsRecord };
  states: { key: string; value: StateRecord };
  analyses: { key: string; value: AnalysisRecord };
  views: { key: string; value: ViewRecord };
}

export type LabDb = IDBPDatabase<LabSchema>;
type Upgrade = IDBPTransaction<LabSchema, StoreNames<LabSchema>[], 'versionchange'>;

/** Opens (creating or upgrading) the lab's database. */
export function openLabDb(name = DB_NAME): Promise<LabDb> {
  return openDB<LabSchema>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('groups', { keyPath: 'id' }).createIndex('bySession', 'sessionId');
        db.createObjectStore('rows', { keyPath: ['groupId', 'step'] });
        db.createObjectStore('states', { keyPath: 'groupId' });
        db.createObjectStore('analyses', { keyPath: 'groupId' });
      }
      if (oldVersion < 2) {
        db.createObjectStore('views', { keyPath: 'key' });
        if (oldVersion >= 1) await upgradeGroupsFrom1(tx);
      }
    },
    // A newer lab opened in another tab needs this connection gone to upgrade the database.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

/** Version 1 named the session `labId`, said 'training' for running, and paused with a message after a failure. */
async function upgradeGroupsFrom1(tx: Upgrade): Promise<void> {
  const store = tx.objectStore('groups');
  const legacy = store as unknown as { deleteIndex(name: string): void; indexNames: DOMStringList };
  if (legacy.indexNames.contains('byLab')) legacy.deleteIndex('byLab');
  store.createIndex('bySession', 'sessionId');
  for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
    await cursor.update(groupFrom1(cursor.value as unknown as Record<string, unknown>));
  }
}

/** A version-1 group record in this version's words; exported for its test. */
export function groupFrom1(old: Record<string, unknown>): GroupRecord {
  const { labId, title: _title, totalSteps: _totalSteps, message, status, ...rest } = old;
  const word = String(status);
  let next: GroupStatus = (GROUP_STATUSES as readonly string[]).includes(word) ? (word as GroupStatus) : 'interrupted';
  if (word === 'training') next = 'running';
  if (word === 'paused' && typeof message === 'string' && message) next = 'interrupted';
  const record = { ...rest, sessionId: String(labId ?? rest.sessionId ?? 'lab-unknown'), status: next } as GroupRecord;
  if (typeof message === 'string' && message && (next === 'interrupted' || next === 'failed')) record.reason = message;
  return record;
}
