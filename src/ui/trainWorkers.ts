/**
 * The page's side of training: the train workers this tab started (one per group it trains) and the channel on
 * which every tab's workers report. A report reaches the page once: from this tab's own worker directly, from
 * another tab's over the channel.
 */
import { TRAIN_EVENTS } from '../store/groupLocks.ts';
import type { TrainReply, TrainRequest } from '../workers/protocol.ts';

export interface TrainWorkerCallbacks {
  onReply(reply: TrainReply, via: 'worker' | 'channel'): void;
  /** A worker of this tab died (an uncaught error); it has been terminated, its lock is free. */
  onCrash(groupId: string, message: string): void;
}

export class TrainWorkers {
  private workers = new Map<string, Worker>();
  private channel: BroadcastChannel | null = null;

  constructor(private readonly callbacks: TrainWorkerCallbacks) {
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(TRAIN_EVENTS);
      this.channel.onmessage = (e: MessageEvent<TrainReply>) => {
        // This tab's own workers post to the channel too; their reports came directly.
        if (!this.workers.has(e.data.groupId)) this.callbacks.onReply(e.data, 'channel');
      };
    }
  }

  /** Starts a worker for a group with its first request (create or start). */
  launch(groupId: string, first: TrainRequest): void {
    if (this.workers.has(groupId)) throw new Error(`group ${groupId} already has a train worker in this tab`);
    const worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), {
      type: 'module',
      name: `train ${groupId}`,
    });
    this.workers.set(groupId, worker);
    worker.onmessage = (e: MessageEvent<TrainReply>) => this.callbacks.onReply(e.data, 'worker');
    const crash = (message: string) => {
      this.end(groupId);
      this.callbacks.onCrash(groupId, message);
    };
    // An uncaught error, or a script that does not load (then the event has no message).
    worker.onerror = (e) => {
      e.preventDefault();
      crash(e.message || 'its script could not be loaded or run');
    };
    worker.onmessageerror = () => crash('a report of the train worker could not be read');
    worker.postMessage(first);
  }

  /** Sends a request to this tab's worker of the group; false when there is none. */
  post(groupId: string, request: TrainRequest): boolean {
    const worker = this.workers.get(groupId);
    worker?.postMessage(request);
    return worker !== undefined;
  }

  has(groupId: string): boolean {
    return this.workers.has(groupId);
  }

  get count(): number {
    return this.workers.size;
  }

  /** Ends this tab's worker of the group (the browser frees its lock). */
  end(groupId: string): void {
    this.workers.get(groupId)?.terminate();
    this.workers.delete(groupId);
  }
}
