import type { Database } from '../../db/database';

/**
 * Pokes for online devices. Every server replica LISTENs on one PostgreSQL channel; the change
 * trigger NOTIFYs it with the clinic id at commit, so a write through any replica reaches devices
 * connected to every replica. Process memory only holds who is connected here.
 */
export const CHANGES_CHANNEL = 'clinicdesk_changes';

export type LiveHub = {
  /** Calls `onPoke` whenever the clinic has new changes; returns the unsubscribe function. */
  subscribe(clinicId: string, onPoke: () => void): () => void;
  /** How many connections this replica holds (for health and tests). */
  connections(): number;
  close(): Promise<void>;
};

/** Starts listening; call once per server process, before it takes traffic. */
export async function startLiveHub(db: Database): Promise<LiveHub> {
  const subscribers = new Map<string, Set<() => void>>();
  const unlisten = await db.listen(CHANGES_CHANNEL, (clinicId) => {
    for (const poke of subscribers.get(clinicId) ?? []) poke();
  });
  return {
    subscribe(clinicId, onPoke) {
      const set = subscribers.get(clinicId) ?? new Set();
      set.add(onPoke);
      subscribers.set(clinicId, set);
      return () => {
        set.delete(onPoke);
        if (set.size === 0) subscribers.delete(clinicId);
      };
    },
    connections() {
      let n = 0;
      for (const set of subscribers.values()) n += set.size;
      return n;
    },
    async close() {
      subscribers.clear();
      await unlisten();
    },
  };
}
