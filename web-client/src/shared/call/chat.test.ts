import { describe, expect, it } from 'vitest';
import { ChatThread, TypingThrottle } from './chat';

describe('ChatThread', () => {
  it('moves my message from sending to sent, delivered and read', () => {
    const thread = new ChatThread();
    thread.write('m1', 'Any cough?');
    expect(thread.entries[0].status).toBe('sending');
    for (const status of ['sent', 'delivered', 'read'] as const) {
      expect(thread.mark('m1', status)).toBe(true);
      expect(thread.entries[0].status).toBe(status);
    }
  });

  it('never moves a message back when receipts arrive out of order', () => {
    const thread = new ChatThread();
    thread.write('m1', 'Any cough?');
    thread.mark('m1', 'read');
    expect(thread.mark('m1', 'delivered')).toBe(false);
    expect(thread.mark('m1', 'sent')).toBe(false);
    expect(thread.entries[0].status).toBe('read');
  });

  it('marks a message failed only while it is being sent', () => {
    const thread = new ChatThread();
    thread.write('m1', 'Any cough?');
    thread.write('m2', 'Since when?');
    expect(thread.mark('m1', 'failed')).toBe(true);
    thread.mark('m2', 'sent');
    expect(thread.mark('m2', 'failed')).toBe(false);
    expect(thread.entries.map(e => e.status)).toEqual(['failed', 'sent']);
  });

  it('shows a receipt that arrives for a message whose reply was lost', () => {
    const thread = new ChatThread();
    thread.write('m1', 'Any cough?');
    thread.mark('m1', 'failed');
    expect(thread.mark('m1', 'delivered')).toBe(true);
  });

  it('ignores receipts for their messages and for unknown ids', () => {
    const thread = new ChatThread();
    thread.receive('t1', 'The fever started on Sunday');
    expect(thread.mark('t1', 'read')).toBe(false);
    expect(thread.mark('nope', 'read')).toBe(false);
    expect(thread.entries[0].status).toBeUndefined();
  });

  it('keeps who wrote each message of theirs, so a colleague in the call is not mistaken for the other side', () => {
    const thread = new ChatThread();
    thread.receive('t1', 'The fever started on Sunday', 'patient');
    thread.receive('t2', 'Namaste, I am the paediatrician', 'staff');
    thread.receive('t3', 'From someone not known yet');
    expect(thread.entries.map(e => e.from)).toEqual(['patient', 'staff', undefined]);
  });

  it('shows a message of theirs once, even when it comes again', () => {
    const thread = new ChatThread();
    expect(thread.receive('t1', 'Hello')).toBe(true);
    expect(thread.receive('t1', 'Hello')).toBe(false);
    expect(thread.entries).toHaveLength(1);
  });
});

describe('TypingThrottle', () => {
  it('sends the first key at once and then at most once per interval', () => {
    const throttle = new TypingThrottle(3000);
    expect([0, 500, 2999, 3000, 4000, 6001].map(now => throttle.shouldSend(now))).toEqual([true, false, false, true, false, true]);
  });

  it('starts over after a message was sent', () => {
    const throttle = new TypingThrottle(3000);
    throttle.shouldSend(0);
    throttle.reset();
    expect(throttle.shouldSend(100)).toBe(true);
  });
});
