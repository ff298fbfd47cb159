import { $, api, failSafely } from '../shared/app';
import { formatRupees, formatTime, t } from '../shared/i18n';
import { fillList } from '../shared/lists';
import { element, say } from './page';

/** One fee of a session as the admin sees it: by token, never by patient. */
interface SessionPayment {
  paymentId: string; token: number; amountPaise: number;
  status: 'awaitingPayment' | 'lapsed' | 'succeeded' | 'refundRequested' | 'refunded';
  paidAt?: string | null; refundReason?: string | null;
}

let shown: { sessionId: string; title: () => string; payments: SessionPayment[] } | undefined;

/** The fees of one session, each paid one with a refund (a reason the patient sees is required). */
export async function openFees(sessionId: string, title: () => string) {
  const payments = await api.get<SessionPayment[]>(`/api/admin/payments?sessionId=${sessionId}`);
  shown = { sessionId, title, payments };
  renderFees();
  $('adm-fees').hidden = false;
  $('adm-fees-heading').focus();
}

export function renderFees() {
  if (!shown) return;
  const { title, payments, sessionId } = shown;
  $('adm-fees').dataset.session = sessionId;
  $('adm-fees-heading').textContent = t('admin.fees.heading', { session: title() });
  fillList($('adm-fees-list'), payments.map(payment => {
    const item = element('li');
    item.dataset.payment = payment.paymentId;
    item.dataset.status = payment.status;
    item.append(t('admin.fees.row', {
      token: payment.token, amount: formatRupees(payment.amountPaise), status: t(`admin.fees.status.${payment.status}`),
    }));
    if (payment.paidAt) item.append(' ', t('admin.fees.paidAt', { time: formatTime(payment.paidAt) }));
    if (payment.refundReason) item.append(' ', t('admin.fees.reason', { reason: payment.refundReason }));
    if (payment.status === 'succeeded') item.append(refundForm(payment));
    return item;
  }), t('admin.fees.none'));
}

function refundForm(payment: SessionPayment) {
  const form = element('form', { className: 'refund' });
  const reason = element('input', { required: true, maxLength: 500, autocomplete: 'off' });
  const label = element('label');
  label.append(element('span', { textContent: t('admin.fees.refundReason', { token: payment.token }) }), ' ', reason);
  const submit = element('button', { textContent: t('admin.fees.refund'), className: 'danger' });
  submit.dataset.icon = 'rupee';
  form.append(label, ' ', submit);
  form.addEventListener('submit', event => {
    event.preventDefault();
    void failSafely(async () => {
      await api.post(`/api/admin/payments/${payment.paymentId}/refund`, { reason: reason.value });
      say($('adm-fees-status'), () => t('admin.fees.refunded', { token: payment.token }));
      if (shown) await openFees(shown.sessionId, shown.title);
    });
  });
  return form;
}
