import { $, api, failSafely } from '../shared/app';
import { t } from '../shared/i18n';
import { feedbackRequest } from './feedback-model';

/** The visit being rated, and what to do once the feedback is in (the records list shows the rating). */
let rating: { consultationId: string; doctorName: string; done: (stars: number) => void } | undefined;

/** Offers the feedback form for a completed visit: optional, once per visit. */
export function askFeedback(consultationId: string, doctorName: string, focus: boolean, done: (stars: number) => void) {
  rating = { consultationId, doctorName, done };
  const form = $<HTMLFormElement>('feedback');
  form.reset();
  form.dataset.consultation = consultationId;
  $('feedback-heading').textContent = t('feedback.heading', { doctor: doctorName });
  $('feedback-status').textContent = '';
  $('feedback-fields').hidden = false;
  form.hidden = false;
  if (focus) $('feedback-heading').focus();
}

$('feedback').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    if (!rating) return;
    const chosen = document.querySelector<HTMLInputElement>('input[name="feedback-rating"]:checked')?.value;
    const request = feedbackRequest(chosen, $<HTMLTextAreaElement>('feedback-comment').value);
    if ('error' in request) {
      $('feedback-status').textContent = t(request.error);
      return;
    }
    const { consultationId, done } = rating;
    await api.post(`/api/consultations/${consultationId}/feedback`, request.body);
    $('feedback-fields').hidden = true;
    $('feedback-status').textContent = t('feedback.thanks');
    rating = undefined;
    done(request.body.rating);
  });
});

$('feedback-skip').addEventListener('click', () => {
  $('feedback').hidden = true;
  rating = undefined;
});
