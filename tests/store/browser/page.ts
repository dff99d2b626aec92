/**
 * Bundled into the store's browser tests (tests/store/labStore.test.ts): the store's modules on window, to be
 * driven from the test with page.evaluate against the browser's real IndexedDB and Web Locks.
 */
import * as groupLocks from '../../../src/store/groupLocks.ts';
import * as groupStore from '../../../src/store/groupStore.ts';
import * as labDb from '../../../src/store/labDb.ts';

const store = { ...labDb, ...groupStore, ...groupLocks };
export type StoreApi = typeof store;
(window as unknown as { store: StoreApi }).store = store;
