import './doctor-page';
import { $, api, failSafely } from '../shared/app';
import { formatDate, formatNumber, onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';

/** Feedback on the doctor's visits as the server gives it: the day, the rating and the words, never whose. */
interface FeedbackItem { day: string; rating: number; comment?: string | null }
interface DoctorFeedback { count: number; meanRating?: number | null; items: FeedbackItem[] }

let feedback: DoctorFeedback | undefined;

onLanguageChange(render);

/** Loaded each time the panel opens, so it shows what came in since. */
$('feedback-mine').addEventListener('toggle', () => {
  if (!$<HTMLDetailsElement>('feedback-mine').open) return;
  void failSafely(async () => {
    $('feedback-mine-summary').textContent = t('patient.loading');
    feedback = await api.get<DoctorFeedback>('/api/feedback/mine');
    render();
  });
});

function render() {
  if (!feedback) return;
  $('feedback-mine-summary').textContent = feedback.count === 0 ? ''
    : t('doctorFeedback.summary', { count: feedback.count, mean: formatNumber(Math.round((feedback.meanRating ?? 0) * 10) / 10) });
  fillList($('feedback-mine-list'), feedback.items.map(item => {
    const entry = document.createElement('li');
    entry.textContent = t('doctorFeedback.item', { day: formatDate(item.day), rating: item.rating });
    if (item.comment) entry.append(Object.assign(document.createElement('q'), { textContent: item.comment }));
    return entry;
  }), t('doctorFeedback.none'));
}
