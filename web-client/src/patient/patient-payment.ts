import { $, accountKey, api, failSafely } from '../shared/app';
import { formatRupees, formatTime, onLanguageChange, t } from '../shared/i18n';
import { describeStep, endsWithoutConsultation, nextStep, stepOf, type PaymentEvent, type PaymentStep, type PaymentView } from './payment';
import { loadStripe, type CardElement, type StripeClient } from './stripe';

/** The payment of the place being watched, remembered for a reload (a family member's apart from the guardian's). */
const storageKey = () => accountKey('telemed.payment');

let payment: PaymentView | undefined;
let step: PaymentStep = { kind: 'loading' };
let stripe: StripeClient | undefined;
let card: CardElement | undefined;

onLanguageChange(render);

$('payment-pay').addEventListener('click', () => void failSafely(pay));
$('payment-receipt').addEventListener('click', () => void failSafely(() =>
  api.download(`/api/payments/${payment!.paymentId}/receipt`, `receipt-${payment!.paymentId}.pdf`)));

/** The fee of the place just taken (or found again after a reload): shows it, and the card form while it is due. */
export async function showPayment(view: PaymentView) {
  payment = view;
  sessionStorage.setItem(storageKey(), view.paymentId);
  step = stepOf(view);
  render();
  if (step.kind === 'loading') await prepareCard(view);
}

/** After a reload: the fee of the place being watched, if it had one. */
export async function resumePayment() {
  const id = sessionStorage.getItem(storageKey());
  if (id) await showPayment(await api.get<PaymentView>(`/api/payments/${id}`));
}

/** The queue moved the token: once it left "awaiting payment", the clinic has the money. */
export function paymentTokenState(state: string) {
  if (!payment) return;
  advance({ type: 'tokenState', state });
  // A paid place given up or not seen is refunded: the payment's own view says so (a moment later, once recorded).
  if (endsWithoutConsultation(state)) void failSafely(() => refresh(payment!.paymentId));
}

async function refresh(paymentId: string) {
  const view = await api.get<PaymentView>(`/api/payments/${paymentId}`);
  if (payment?.paymentId !== paymentId) return;
  payment = view;
  advance({ type: 'view', payment: view });
}

export function forgetPayment() {
  sessionStorage.removeItem(storageKey());
  payment = undefined;
  card?.destroy();
  card = undefined;
  $('payment').hidden = true;
}

async function prepareCard(view: PaymentView) {
  try {
    stripe = await loadStripe(view.scriptUrl, view.publishableKey ?? '');
    card?.destroy();
    card = stripe.elements().create('card');
    card.mount($('payment-card'));
    advance({ type: 'ready' });
  } catch {
    advance({ type: 'scriptFailed' });
  }
}

async function pay() {
  if (!stripe || !card || !payment?.clientSecret) return;
  advance({ type: 'pay' });
  let result;
  try {
    result = await stripe.confirmCardPayment(payment.clientSecret, { payment_method: { card } });
  } catch {
    advance({ type: 'declined' });
    return;
  }
  if (result.error) advance({ type: 'declined', reason: result.error.message });
  else advance({ type: 'stripePaid' });
}

function advance(event: PaymentEvent) {
  step = nextStep(step, event);
  render();
}

function render() {
  if (!payment) return;
  const shown = describeStep(step);
  $('payment').hidden = false;
  $('payment').dataset.step = step.kind;
  $('payment-amount').textContent = step.kind === 'due' || step.kind === 'failed' || step.kind === 'loading'
    ? t('patient.pay.amountHeld', { amount: formatRupees(payment.amountPaise), time: formatTime(payment.heldUntil) })
    : t('patient.pay.amount', { amount: formatRupees(payment.amountPaise) });
  $('payment-form').hidden = !shown.canPay && step.kind !== 'paying';
  const button = $<HTMLButtonElement>('payment-pay');
  button.textContent = t('patient.pay.button', { amount: formatRupees(payment.amountPaise) });
  button.disabled = !shown.canPay;
  $('payment-status').textContent = t(shown.key, shown.params);
  $('payment').setAttribute('aria-busy', String(shown.busy));
  $('payment-receipt').hidden = !shown.receipt;
}
