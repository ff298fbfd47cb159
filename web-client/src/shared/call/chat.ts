/**
 * The call's chat as data: who wrote what, and how far each of my messages got (sent to the server, delivered to the
 * other side's screen, read there). Pure, so the receipt rules are tested without a hub.
 */
import type { Role } from './negotiation';

export type ChatStatus = 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface ChatEntry {
  id: string;
  mine: boolean;
  /** Who wrote a message of theirs, when known: in a call with an invited colleague there is more than one "them". */
  from?: Role;
  text: string;
  status?: ChatStatus;
}

// A receipt never moves a message back: "delivered" arriving after "read" (they travel separately) is old news.
const progress: Record<ChatStatus, number> = { failed: -1, sending: 0, sent: 1, delivered: 2, read: 3 };

export class ChatThread {
  readonly entries: ChatEntry[] = [];

  /** My message, shown at once as "sending"; the server's reply makes it "sent". */
  write(id: string, text: string): ChatEntry {
    const entry: ChatEntry = { id, mine: true, text, status: 'sending' };
    this.entries.push(entry);
    return entry;
  }

  /** Their message; false when it was shown already (a message re-sent after a reconnect). */
  receive(id: string, text: string, from?: Role): boolean {
    if (this.entries.some(e => e.id === id)) return false;
    this.entries.push({ id, mine: false, from, text });
    return true;
  }

  /** Applies a status to one of my messages; true when it changed what is shown. */
  mark(id: string, status: ChatStatus): boolean {
    const entry = this.entries.find(e => e.id === id && e.mine);
    if (!entry?.status) return false;
    const allowed = status === 'failed' ? entry.status === 'sending' : progress[status] > progress[entry.status];
    if (!allowed) return false;
    entry.status = status;
    return true;
  }
}

/** Tells the other side "typing…" at most once per interval, however fast the keys come. */
export class TypingThrottle {
  private lastSent = Number.NEGATIVE_INFINITY;

  constructor(private readonly intervalMs = 3000) {}

  shouldSend(now: number): boolean {
    if (now - this.lastSent < this.intervalMs) return false;
    this.lastSent = now;
    return true;
  }

  /** After a message was sent the next key is news again. */
  reset(): void {
    this.lastSent = Number.NEGATIVE_INFINITY;
  }
}
