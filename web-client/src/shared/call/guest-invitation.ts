import { $, api, failSafely } from '../app';
import { t } from '../i18n';
import { guestLink } from './guest-link';

interface GuestLink { guestId: string; name: string; relation: 'family' | 'interpreter'; token: string; expiresAt: string }

let consultationId: string | undefined;

/** The patient's side of a call may let a family member or an interpreter in; nobody else sees the form. */
export function showGuestInvitation(consultation: string, patientSide: boolean) {
  consultationId = consultation;
  $('call-guests').hidden = !patientSide;
  $<HTMLFormElement>('guest-form').reset();
  $('guest-result').hidden = true;
  $('guest-status').textContent = '';
}

$('guest-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    if (!consultationId) return;
    const link = await api.post<GuestLink>(`/api/consultations/${consultationId}/guests`, {
      name: $<HTMLInputElement>('guest-name').value,
      relation: $<HTMLSelectElement>('guest-relation').value,
    });
    const address = guestLink(link.token, location.origin);
    $<HTMLInputElement>('guest-link').value = address;
    $('guest-ready').textContent = t('call.guests.ready', {
      name: link.name, time: new Date(link.expiresAt).toLocaleTimeString(document.documentElement.lang, { hour: 'numeric', minute: '2-digit' }),
    });
    $('guest-result').hidden = false;
    $('guest-status').textContent = '';
    $<HTMLButtonElement>('guest-share').hidden = !('share' in navigator);
    $<HTMLInputElement>('guest-link').select();
  });
});

$('guest-copy').addEventListener('click', () => void failSafely(async () => {
  await navigator.clipboard.writeText($<HTMLInputElement>('guest-link').value);
  $('guest-status').textContent = t('call.guests.copied');
}));

$('guest-share').addEventListener('click', () => void failSafely(async () => {
  await navigator.share({ title: t('call.guests.heading'), url: $<HTMLInputElement>('guest-link').value });
}));
