/**
 * The saved groups: the lab's database as the page uses it. Opening it settles the groups no worker stands behind
 * (a closed tab, a crashed worker); it lists the stored sessions with their groups' names, deletes a group when no
 * worker trains it, says how much storage is used, and keeps the page's own facts: which session was open, and the
 * newest analysis of each group.
 */
import type { AnalysisReport } from '../analysis/index.ts';
import { heldGroups, ORPHANED, settleGroup, withGroupLock } from '../store/groupLocks.ts';
import {
  deleteGroup,
  getGroup,
  getOpenView,
  listGroups,
  putOpenView,
  saveAnalysis,
  sessionGroups,
  storageUse,
} from '../store/groupStore.ts';
import { openLabDb, type GroupRecord, type LabDb, type ViewRecord } from '../store/labDb.ts';
import { isLive } from '../train/groupStatus.ts';
import { groupNames, type GroupName } from './groupNames.ts';

export interface StoredSession {
  id: string;
  /** Its groups in the order they were created, each with its name in the session. */
  groups: { record: GroupRecord; name: GroupName }[];
  updatedAt: number;
}

/** The stored sessions, the most recently changed first. */
export function storedSessions(records: readonly GroupRecord[]): StoredSession[] {
  const bySession = new Map<string, GroupRecord[]>();
  for (const r of records) bySession.set(r.sessionId, [...(bySession.get(r.sessionId) ?? []), r]);
  return [...bySession.entries()]
    .map(([id, list]) => {
      const groups = [...list].sort((a, b) => a.createdAt - b.createdAt);
      const names = groupNames(groups.map((g) => g.settings));
      return {
        id,
        groups: groups.map((record, i) => ({ record, name: names[i] })),
        updatedAt: Math.max(...groups.map((g) => g.updatedAt)),
      };
    })
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export class SavedGroups {
  records = $state.raw<GroupRecord[]>([]);
  storage = $state.raw<{ used: number; quota: number } | null>(null);
  private database: LabDb | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;

  get db(): LabDb | null {
    return this.database;
  }

  get sessions(): StoredSession[] {
    return storedSessions(this.records);
  }

  /** Opens the database and settles every group no worker stands behind. Throws when there is no storage. */
  async open(): Promise<void> {
    this.database = await openLabDb();
    const held = await heldGroups();
    for (const r of await listGroups(this.database))
      if (!held.has(r.id) && (isLive(r.status) || r.checkpoints === 0))
        await settleGroup(this.database, r.id, r.status === 'paused' ? undefined : ORPHANED);
    await this.refresh();
  }

  /** Reads the list again (a refresh asked for while one runs follows it, once). */
  refresh(): Promise<void> {
    if (!this.database) return Promise.resolve();
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    const db = this.database;
    this.refreshing = (async () => {
      do {
        this.again = false;
        this.records = await listGroups(db);
        this.storage = await storageUse().catch(() => null);
      } while (this.again);
      this.refreshing = null;
    })();
    return this.refreshing;
  }

  /** Deletes a group no worker trains; otherwise says why not. */
  async remove(id: string): Promise<string | null> {
    if (!this.database) return 'there is no storage';
    const db = this.database;
    const r = await withGroupLock(id, () => deleteGroup(db, id));
    await this.refresh();
    return r.held ? 'it is training (here or in another tab): stop it first' : null;
  }

  /** What the page showed last, with the groups of that session (none when it was the sample, or they are gone). */
  async lastOpen(): Promise<{ view: ViewRecord; groups: GroupRecord[] } | null> {
    if (!this.database) return null;
    const view = await getOpenView(this.database);
    if (!view?.sessionId) return null;
    const groups = await sessionGroups(this.database, view.sessionId);
    return groups.length ? { view, groups } : null;
  }

  async sessionOf(groupId: string): Promise<GroupRecord[]> {
    if (!this.database) return [];
    const record = await getGroup(this.database, groupId);
    return record ? sessionGroups(this.database, record.sessionId) : [];
  }

  /** The page's own fact: what it shows (a reload opens it again). */
  remember(sessionId: string | null, groupId: string | null): void {
    if (this.database) void putOpenView(this.database, { sessionId, groupId }).catch(() => undefined);
  }

  /** The page's own fact: the newest analysis of a group, so a reload draws its map at once. */
  saveAnalysis(groupId: string, report: AnalysisReport, checkpoints: number): void {
    if (this.database) void saveAnalysis(this.database, groupId, report, checkpoints).catch(() => undefined);
  }
}
