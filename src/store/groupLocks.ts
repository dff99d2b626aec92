/**
 * One writer per group across tabs: the group's Web Lock. A train worker holds it for as long as it trains the
 * group (the browser frees it when the worker ends, however it ends), so a record that says a worker is behind it
 * while nobody holds the lock was left by a closed tab or a crashed worker. The page takes the lock only for a
 * moment, to settle such a record or to delete a group. The channels carry what the owning worker reports to every
 * tab (`TRAIN_EVENTS`) and a tab's request that the owner hand the group over (`TRAIN_COMMANDS`).
 */
import { settleOrphan } from '../train/groupStatus.ts';
import { deleteGroup, getGroup, setGroupStatus } from './groupStore.ts';
import type { LabDb } from './labDb.ts';

export const TRAIN_EVENTS = 'trainmap:train-events';
export const TRAIN_COMMANDS = 'trainmap:train-commands';

const PREFIX = 'trainmap:group:';
export const groupLock = (groupId: string): string => PREFIX + groupId;

function locks(): LockManager {
  const manager = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!manager) throw new Error('this browser has no Web Locks API, so the lab cannot tell which tab trains a group');
  return manager;
}

/** The groups some agent (a train worker in any tab of this origin) holds now. */
export async function heldGroups(): Promise<Set<string>> {
  const { held = [] } = await locks().query();
  return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
}

/**
 * Runs `work` while holding the group's lock. At once or not at all by default (`{ held: true }` when another agent
 * holds it); with `waitMs`, waits that long for it.
 */
export async function withGroupLock<T>(
  groupId: string,
  work: () => Promise<T>,
  options: { waitMs?: number } = {},
): Promise<{ held: true } | { held: false; value: T }> {
  const run = async (lock: Lock | null) =>
    lock ? { held: false as const, value: await work() } : { held: true as const };
  if (options.waitMs === undefined) return locks().request(groupLock(groupId), { ifAvailable: true }, run);
  try {
    return await locks().request(groupLock(groupId), { signal: AbortSignal.timeout(options.waitMs) }, run);
  } catch (e) {
    if ((e as Error)?.name === 'TimeoutError') return { held: true };
    throw e;
  }
}

/** Why a group found running with no worker behind it is interrupted. */
export const ORPHANED = 'no worker was training it any more (its tab was closed, or its worker stopped)';

export type Settled = 'kept' | 'deleted' | 'changed' | 'held' | 'gone';

/**
 * Settles a group that no worker should stand behind (groupStatus.settleOrphan), under its lock: one that never
 * checkpointed is deleted, one caught running becomes interrupted with `reason`. 'held': a worker does stand
 * behind it (in this tab or another), so it is left alone.
 */
export async function settleGroup(db: LabDb, id: string, reason?: string, waitMs?: number): Promise<Settled> {
  const r = await withGroupLock(
    id,
    async (): Promise<Settled> => {
      const record = await getGroup(db, id);
      if (!record) return 'gone';
      const next = settleOrphan(record);
      if (next.delete) {
        await deleteGroup(db, id);
        return 'deleted';
      }
      if (next.status === record.status) return 'kept';
      await setGroupStatus(db, id, next.status, reason ?? record.reason);
      return 'changed';
    },
    { waitMs },
  );
  return r.held ? 'held' : r.value;
}
