/** One row of the doctor's queue, as the server sends it (QueueRow). */
export interface QueueRow {
  token: number;
  patientId: string;
  patient: { name: string; age: number; sex: string };
  state: string;
  priority: string;
  position?: number | null;
  complaint?: string | null;
  checkedInAt: string;
  attachments: AttachmentRef[];
  missedCalls: number;
  online: boolean;
  calledWhileOffline: boolean;
  /** The adult who comes with the patient (a minor always has one). */
  accompaniedBy?: { name: string; relation: string; accountId?: string | null } | null;
  /** A booked patient's slot: they are called at its start, ahead of walk-ins who came after it. */
  slotStartsAt?: string | null;
  /** The spoke's health worker who brought the patient in and sits with them in the call. */
  assistedBy?: AssistedBy | null;
  /** The consultation, once started: a completed one opens for addenda and its prescription. */
  consultationId?: string | null;
}

/** Who brought the patient in at a spoke: the health worker, their cadre and their centre, and the vitals they took. */
export interface AssistedBy { healthWorkerId: string; name: string; cadre: 'communityHealthOfficer' | 'anm'; spokeId: string; spokeName: string }

/** A file the patient attached at check-in; downloaded with the doctor's bearer token. */
export interface AttachmentRef { id: string; fileName: string; contentType: string; size: number }

export interface QueueView {
  sessionId: string;
  version: number;
  rows: QueueRow[];
}

/** What a change sends: the rows it touched and the whole line order, from which every position follows. */
export interface QueueDelta {
  sessionId: string;
  version: number;
  rows: QueueRow[];
  line: number[];
}

export interface PresenceChange {
  sessionId: string;
  token: number;
  online: boolean;
}

/**
 * The doctor's copy of one session's queue: the whole view once, then the deltas the hub pushes. A delta older than
 * what the copy already has (pushes and the initial view can cross) changes nothing.
 */
export class DoctorQueue {
  private readonly rows = new Map<number, QueueRow>();
  private version: number;

  constructor(readonly sessionId: string, view: QueueView) {
    this.version = view.version;
    this.reset(view);
  }

  /** The whole view again (watched anew after the hub reconnected: deltas may have been missed meanwhile). */
  reset(view: QueueView): void {
    this.rows.clear();
    for (const row of view.rows) this.rows.set(row.token, row);
    this.version = view.version;
  }

  /** True when the delta was news. */
  apply(delta: QueueDelta): boolean {
    if (delta.sessionId !== this.sessionId || delta.version <= this.version) return false;
    for (const row of delta.rows) this.rows.set(row.token, row);
    const positions = new Map(delta.line.map((token, index) => [token, index + 1]));
    for (const [token, row] of this.rows) this.rows.set(token, { ...row, position: positions.get(token) ?? null });
    this.version = delta.version;
    return true;
  }

  presence(change: PresenceChange): boolean {
    const row = this.rows.get(change.token);
    if (change.sessionId !== this.sessionId || !row) return false;
    this.rows.set(change.token, { ...row, online: change.online });
    return true;
  }

  /** Those in line by position (priority already counted by the server), then everyone else by token. */
  ordered(): QueueRow[] {
    const all = [...this.rows.values()];
    const inLine = all.filter(r => r.position != null).sort((a, b) => a.position! - b.position!);
    const rest = all.filter(r => r.position == null).sort((a, b) => a.token - b.token);
    return [...inLine, ...rest];
  }
}

/** What the doctor can do to a row, as hub methods with their extra argument. */
export type QueueAction = 'call' | 'skip' | 'noShow' | 'recall' | 'elderly' | 'emergency';

export const hubCalls: Record<QueueAction, { method: string; argument?: string }> = {
  call: { method: 'CallToken' },
  skip: { method: 'Skip' },
  noShow: { method: 'MarkNoShow' },
  recall: { method: 'Recall' },
  elderly: { method: 'Prioritise', argument: 'elderly' },
  emergency: { method: 'Prioritise', argument: 'emergency' },
};

/** The actions the queue's rules allow on a row in its state (the server decides again; these only offer them). */
export function actionsFor(row: QueueRow): QueueAction[] {
  switch (row.state) {
    case 'waiting':
    case 'recalled':
      return row.priority === 'normal' ? ['call', 'elderly', 'emergency'] : ['call'];
    case 'called':
      return ['skip', 'noShow'];
    case 'skipped':
      return ['recall'];
    default:
      return [];
  }
}

/** A called patient who never came in, or a call that could not go on, is marked not held (with a reason). */
export function canMarkNotHeld(row: QueueRow): boolean {
  return row.state === 'called' || row.state === 'inConsultation';
}

/** Whole minutes since check-in (never negative: the server's clock may run a little ahead of this device's). */
export function minutesWaiting(checkedInAt: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(checkedInAt)) / 60_000));
}

/** The waiting-time note as a message and its numbers: just now, minutes, or hours and minutes. */
export function waitingNote(minutes: number): { key: 'queue.waitedJustNow' | 'queue.waitedMinutes' | 'queue.waitedHours'; params: Record<string, number> } {
  if (minutes < 1) return { key: 'queue.waitedJustNow', params: {} };
  if (minutes < 60) return { key: 'queue.waitedMinutes', params: { minutes } };
  return { key: 'queue.waitedHours', params: { hours: Math.floor(minutes / 60), minutes: minutes % 60 } };
}

/** Waiting time counts only while the patient is still to be seen (in line, or called and not yet in the room). */
export function isStillWaiting(row: QueueRow): boolean {
  return ['waiting', 'recalled', 'called', 'skipped'].includes(row.state);
}
