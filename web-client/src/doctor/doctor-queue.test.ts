import { describe, expect, it } from 'vitest';
import { actionsFor, canMarkNotHeld, DoctorQueue, isStillWaiting, minutesWaiting, waitingNote, type QueueRow } from './doctor-queue';

const row = (token: number, state: string, position: number | null, priority = 'normal'): QueueRow => ({
  token, patientId: `p${token}`, patient: { name: `Patient ${token}`, age: 40, sex: 'female' }, state, priority, position,
  complaint: null, checkedInAt: '2026-11-25T04:00:00Z', attachments: [], missedCalls: 0, online: true, calledWhileOffline: false,
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

  it('takes the whole view again after a reconnect, dropping what it no longer holds', () => {
    const queue = new DoctorQueue('s', view);
    queue.reset({ sessionId: 's', version: 9, rows: [row(2, 'called', null), row(4, 'waiting', 1)] });
    expect(queue.ordered().map(r => [r.token, r.state])).toEqual([[4, 'waiting'], [2, 'called']]);
    expect(queue.apply({ sessionId: 's', version: 8, rows: [row(1, 'waiting', 1)], line: [1] })).toBe(false);
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

describe('not held', () => {
  it('is offered only for a called or started token', () => {
    expect(['called', 'inConsultation'].map(state => canMarkNotHeld(row(1, state, null)))).toEqual([true, true]);
    for (const state of ['waiting', 'recalled', 'skipped', 'completed', 'noShow', 'notHeld', 'cancelled']) expect(canMarkNotHeld(row(1, state, null))).toBe(false);
  });
});

describe('waiting time', () => {
  const checkedInAt = '2026-11-25T04:00:00Z';
  const at = (minutes: number) => Date.parse(checkedInAt) + minutes * 60_000;

  it('counts whole minutes since check-in, never below zero', () => {
    expect(minutesWaiting(checkedInAt, at(12.9))).toBe(12);
    expect(minutesWaiting(checkedInAt, at(-1))).toBe(0);
  });

  it('reads as just now, minutes, or hours and minutes', () => {
    expect(waitingNote(0)).toEqual({ key: 'queue.waitedJustNow', params: {} });
    expect(waitingNote(45)).toEqual({ key: 'queue.waitedMinutes', params: { minutes: 45 } });
    expect(waitingNote(125)).toEqual({ key: 'queue.waitedHours', params: { hours: 2, minutes: 5 } });
  });

  it('stops counting once the patient is with the doctor or gone', () => {
    expect(isStillWaiting(row(1, 'waiting', 1))).toBe(true);
    expect(isStillWaiting(row(1, 'called', null))).toBe(true);
    expect(isStillWaiting(row(1, 'inConsultation', null))).toBe(false);
    expect(isStillWaiting(row(1, 'completed', null))).toBe(false);
  });
});
