import { describe as suite, expect, it } from 'vitest';
import { describe } from './board-view';

suite('board line', () => {
  it('shows tokens being seen and the next ones, never names', () =>
    expect(describe({ sessionId: 's', specialty: 'Paediatrics', status: 'open', nowServing: [4], upNext: [5, 6], waiting: 2 }))
      .toEqual({ title: 'Paediatrics', serving: '4', next: '5  6' }));
  it('says when nobody is waiting or the session is paused', () => {
    expect(describe({ sessionId: 's', status: 'open', nowServing: [], upNext: [], waiting: 0 }).next).toBe('No one waiting');
    expect(describe({ sessionId: 's', status: 'paused', nowServing: [], upNext: [3], waiting: 1 }).next).toBe('Paused');
  });
});
