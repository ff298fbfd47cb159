import { describe, expect, it } from 'vitest';
import { formatRupees, formatTime } from '../shared/i18n';
import { describeStep, endsWithoutConsultation, nextStep, stepOf, type PaymentEvent, type PaymentStep, type PaymentView } from './payment';

const view = (status: PaymentView['status'], extra: Partial<PaymentView> = {}): PaymentView => ({
  paymentId: 'p', status, amountPaise: 50_000, currency: 'inr', heldUntil: '2026-11-25T10:15:00Z', clientSecret: 'pi_1_secret_2',
  publishableKey: 'pk_test', scriptUrl: 'https://js.stripe.com/v3/', ...extra,
});
const run = (start: PaymentStep, ...events: PaymentEvent[]) => events.reduce(nextStep, start);

describe('paying a fee', () => {
  it('goes from the card form through Stripe to the clinic confirming the place', () => {
    const start = stepOf(view('awaitingPayment'));
    expect(start).toEqual({ kind: 'loading' });
    const due = run(start, { type: 'ready' });
    expect(describeStep(due).canPay).toBe(true);
    const confirming = run(due, { type: 'pay' }, { type: 'stripePaid' });
    expect(confirming.kind).toBe('confirming');
    expect(describeStep(confirming)).toMatchObject({ canPay: false, busy: true, receipt: false });
    const paid = run(confirming, { type: 'tokenState', state: 'waiting' });
    expect(paid.kind).toBe('paid');
    expect(describeStep(paid)).toMatchObject({ key: 'patient.pay.paid', receipt: true });
  });

  it('says why a card was declined and lets the patient try again', () => {
    const failed = run({ kind: 'due' }, { type: 'pay' }, { type: 'declined', reason: 'Your card was declined.' });
    expect(describeStep(failed)).toMatchObject({ key: 'patient.pay.failedBecause', params: { reason: 'Your card was declined.' }, canPay: true });
    expect(run(failed, { type: 'pay' }).kind).toBe('paying');
  });

  it('tells the patient what to do when Stripe.js cannot load', () => {
    expect(describeStep(run({ kind: 'loading' }, { type: 'scriptFailed' }))).toMatchObject({ key: 'patient.pay.unavailable', canPay: false });
  });

  it('does not call a fee paid because the patient gave up the place', () => {
    expect(run({ kind: 'due' }, { type: 'tokenState', state: 'cancelled' }).kind).toBe('due');
    expect(endsWithoutConsultation('cancelled')).toBe(true);
    expect(endsWithoutConsultation('waiting')).toBe(false);
    expect(run({ kind: 'paid' }, { type: 'view', payment: view('refundRequested') }).kind).toBe('refunded');
  });

  it('keeps waiting while the token is still held, and ends when the hold lapses', () => {
    expect(run({ kind: 'confirming' }, { type: 'tokenState', state: 'awaitingPayment' }).kind).toBe('confirming');
    expect(run({ kind: 'due' }, { type: 'tokenState', state: 'paymentExpired' }).kind).toBe('lapsed');
  });

  it('ignores a stale view and events that do not fit the step', () => {
    expect(run({ kind: 'confirming' }, { type: 'view', payment: view('awaitingPayment') }).kind).toBe('confirming');
    expect(run({ kind: 'paid' }, { type: 'pay' }).kind).toBe('paid');
    expect(run({ kind: 'due' }, { type: 'stripePaid' }).kind).toBe('due');
    expect(run({ kind: 'confirming' }, { type: 'view', payment: view('succeeded') }).kind).toBe('paid');
  });

  it('shows a refund with its reason, and keeps the receipt', () => {
    const refunded = stepOf(view('refundRequested', { refundReason: 'The doctor closed the session.' }));
    expect(describeStep(refunded)).toMatchObject({ key: 'patient.pay.refundedBecause', params: { reason: 'The doctor closed the session.' }, receipt: true });
    expect(stepOf(view('lapsed')).kind).toBe('lapsed');
  });
});

describe('fees and times', () => {
  it('are written in rupees, with paise only when there are some', () => {
    expect(formatRupees(50_000, 'en')).toBe('₹500');
    expect(formatRupees(12_345_050, 'en')).toBe('₹1,23,450.50');
    expect(formatRupees(50_000, 'hi')).toBe('₹500');
  });

  it('give the hold time of day for the locale', () => {
    expect(formatTime('2026-11-25T10:15:00Z', 'en')).toMatch(/\d{1,2}:15/);
  });
});
