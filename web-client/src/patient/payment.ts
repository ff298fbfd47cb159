import type { MessageKey } from '../shared/i18n';

/** A consultation fee as the server shows it to its patient (Payments/PaymentService.cs, PaymentView). */
export interface PaymentView {
  paymentId: string;
  status: 'awaitingPayment' | 'lapsed' | 'succeeded' | 'refundRequested' | 'refunded';
  amountPaise: number;
  currency: string;
  heldUntil: string;
  clientSecret?: string | null;
  publishableKey?: string | null;
  scriptUrl: string;
  lastFailure?: string | null;
  refundReason?: string | null;
}

/**
 * Where the patient is with a fee. Stripe answering "paid" is not yet the clinic knowing it: the place joins the line
 * when Stripe's webhook reaches the server, so between the two the page says the payment is being confirmed.
 */
export type PaymentStep =
  | { kind: 'loading' }
  | { kind: 'due' }
  | { kind: 'paying' }
  | { kind: 'failed'; reason?: string }
  | { kind: 'unavailable' }
  | { kind: 'confirming' }
  | { kind: 'paid' }
  | { kind: 'lapsed' }
  | { kind: 'refunded'; reason?: string };

export type PaymentEvent =
  | { type: 'ready' }
  | { type: 'scriptFailed' }
  | { type: 'pay' }
  | { type: 'declined'; reason?: string }
  | { type: 'stripePaid' }
  | { type: 'view'; payment: PaymentView }
  | { type: 'tokenState'; state: string };

/** The step a fee shown afresh (after check-in or a reload) starts in. */
export function stepOf(payment: PaymentView): PaymentStep {
  switch (payment.status) {
    case 'awaitingPayment':
      return { kind: 'loading' };
    case 'succeeded':
      return { kind: 'paid' };
    case 'lapsed':
      return { kind: 'lapsed' };
    default:
      return { kind: 'refunded', reason: payment.refundReason ?? undefined };
  }
}

const inLineOrSeen = ['waiting', 'called', 'recalled', 'skipped', 'inConsultation', 'completed'];

/** Whether a token in this state leaves the fee's fate to the payment itself (a refund may follow). */
export function endsWithoutConsultation(tokenState: string): boolean {
  return ['cancelled', 'left', 'noShow', 'notHeld'].includes(tokenState);
}

export function nextStep(step: PaymentStep, event: PaymentEvent): PaymentStep {
  switch (event.type) {
    case 'ready':
      return step.kind === 'loading' ? { kind: 'due' } : step;
    case 'scriptFailed':
      return step.kind === 'loading' ? { kind: 'unavailable' } : step;
    case 'pay':
      return step.kind === 'due' || step.kind === 'failed' ? { kind: 'paying' } : step;
    case 'declined':
      return step.kind === 'paying' ? { kind: 'failed', reason: event.reason } : step;
    case 'stripePaid':
      return step.kind === 'paying' ? { kind: 'confirming' } : step;
    case 'view':
      // A fresh view only ever moves the fee on: a late copy saying "awaiting" does not undo a confirmation under way.
      return event.payment.status === 'awaitingPayment' ? step : stepOf(event.payment);
    case 'tokenState':
      // The place joined the line (or went further): that is the clinic's receipt of the payment. A place given up
      // says nothing about the fee (it may be refunded): the payment's own view tells.
      if (event.state === 'paymentExpired') return { kind: 'lapsed' };
      if (!inLineOrSeen.includes(event.state)) return step;
      return step.kind === 'lapsed' || step.kind === 'refunded' ? step : { kind: 'paid' };
  }
}

/** What the page says in each step, and whether the card form and the pay button are offered. */
export function describeStep(step: PaymentStep): { key: MessageKey; params?: Record<string, string>; canPay: boolean; receipt: boolean; busy: boolean } {
  switch (step.kind) {
    case 'loading':
      return { key: 'patient.pay.loading', canPay: false, receipt: false, busy: true };
    case 'due':
      return { key: 'patient.pay.due', canPay: true, receipt: false, busy: false };
    case 'paying':
      return { key: 'patient.pay.paying', canPay: false, receipt: false, busy: true };
    case 'failed':
      return step.reason
        ? { key: 'patient.pay.failedBecause', params: { reason: step.reason }, canPay: true, receipt: false, busy: false }
        : { key: 'patient.pay.failed', canPay: true, receipt: false, busy: false };
    case 'unavailable':
      return { key: 'patient.pay.unavailable', canPay: false, receipt: false, busy: false };
    case 'confirming':
      return { key: 'patient.pay.confirming', canPay: false, receipt: false, busy: true };
    case 'paid':
      return { key: 'patient.pay.paid', canPay: false, receipt: true, busy: false };
    case 'lapsed':
      return { key: 'patient.pay.lapsed', canPay: false, receipt: false, busy: false };
    case 'refunded':
      return step.reason
        ? { key: 'patient.pay.refundedBecause', params: { reason: step.reason }, canPay: false, receipt: true, busy: false }
        : { key: 'patient.pay.refunded', canPay: false, receipt: true, busy: false };
  }
}
