import { describe, expect, it } from 'vitest';
import { actionsFor, DoctorQueue, type QueueRow } from './doctor-queue';

const row = (token: number, state: string, position: number | null, priority = 'normal'): QueueRow => ({
  token, patientId: `p${token}`, patient: { name: `Patient ${token}`, age: 40, sex: 'female' }, state, priority, position,
  complaint: null, missedCalls: 0, online: true, calledWhileOffline: false,
});

describe('the doctor queue', () => {
  const view = { sessionId: 's', version: 3, rows: [row(1, 'waiting', 1), row(2, 'waiting', 2), row(3, 'waiting', 3)] };

  it('applies a call: the called row changes and everyone behind moves up', () => {
    const queue = new DoctorQueue('s', view);
    expect(queue.apply({ sessionId: 's', version: 4, rows: [row(1, 'called', null)], line: [2, 3] })).toBe(true);
    expect(queue.ordered().map(r => [r.token, r.state, r.position])).toEqual([[2, 'waiting', 1], [3, 'waiting', 2], [1, 'called', null]]);
  });

  it('puts a prioritised patient where the line says', () => {
    const queue = new DoctorQueue('s', view);
    queue.apply({ sessionId: 's', version: 4, rows: [row(3, 'waiting', 1, 'emergency')], line: [3, 1, 2] });
    expect(queue.ordered().map(r => r.token)).toEqual([3, 1, 2]);
    expect(queue.ordered()[0].priority).toBe('emergency');
  });

  it('ignores an old or another session\'s delta', () => {
    const queue = new DoctorQueue('s', view);
    expect(queue.apply({ sessionId: 's', version: 3, rows: [row(1, 'called', null)], line: [2, 3] })).toBe(false);
    expect(queue.apply({ sessionId: 'other', version: 9, rows: [row(1, 'called', null)], line: [2, 3] })).toBe(false);
    expect(queue.ordered()[0].state).toBe('waiting');
  });

  it('shows a patient going offline', () => {
    const queue = new DoctorQueue('s', view);
    expect(queue.presence({ sessionId: 's', token: 2, online: false })).toBe(true);
    expect(queue.ordered().find(r => r.token === 2)!.online).toBe(false);
    expect(queue.presence({ sessionId: 's', token: 9, online: false })).toBe(false);
  });
});

describe('row actions', () => {
  it('offers what the state allows', () => {
    expect(actionsFor(row(1, 'waiting', 1))).toEqual(['call', 'elderly', 'emergency']);
    expect(actionsFor(row(1, 'waiting', 1, 'elderly'))).toEqual(['call']);
    expect(actionsFor(row(1, 'called', null))).toEqual(['skip', 'noShow']);
    expect(actionsFor(row(1, 'skipped', null))).toEqual(['recall']);
    expect(actionsFor(row(1, 'completed', null))).toEqual([]);
  });
});
