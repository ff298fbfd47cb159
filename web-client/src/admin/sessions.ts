import { $, api, failSafely } from '../shared/app';
import { lastDays } from '../shared/analytics';
import { dayTotals, sessionPhase, sessionsInPhase, type SessionOfTheDay, type SessionPhase } from './admin-model';
import { formatDate, formatNumber, formatTime, t } from '../shared/i18n';
import { element, reasonOf, say } from './page';
import { places } from './places';
import { openFees } from './fees';

/** The sessions of the day across facilities, with their figures. */

let sessions: SessionOfTheDay[] = [];
let sessionsDay = '';

/** The facility filter offers the registered facilities; a choice that is still there stays chosen. */
export function renderFacilityFilter() {
  const filter = $<HTMLSelectElement>('adm-facility');
  const chosen = filter.value;
  filter.replaceChildren(filter.options[0], ...places.facilities.map(f => new Option(`${f.name} (${f.district})`, f.id)));
  filter.value = places.facilities.some(f => f.id === chosen) ? chosen : '';
}

export async function loadSessions() {
  const status = $('adm-sessions-status');
  const table = $('adm-sessions');
  const day = $<HTMLInputElement>('adm-day').value || lastDays(1)[0];
  const facility = $<HTMLSelectElement>('adm-facility').value;
  table.setAttribute('aria-busy', 'true');
  say(status, () => t('admin.sessions.loading'));
  try {
    sessions = await api.get<SessionOfTheDay[]>(`/api/admin/sessions?day=${day}${facility ? `&facilityId=${facility}` : ''}`);
    sessionsDay = day;
    renderSessions();
  } catch (error) {
    sessions = [];
    sessionsDay = '';
    $('adm-totals').textContent = '';
    table.querySelector('tbody')!.replaceChildren();
    say(status, () => t('admin.sessions.failed', { reason: reasonOf(error) }));
  } finally {
    table.removeAttribute('aria-busy');
  }
}

export function renderSessions() {
  if (!sessionsDay) return;
  const now = new Date();
  const shown = sessionsInPhase(sessions, $<HTMLSelectElement>('adm-phase').value as SessionPhase | '', now);
  const day = formatDate(sessionsDay);
  const totals = dayTotals(shown);
  say($('adm-sessions-status'), shown.length === 0 ? () => t('admin.sessions.empty', { day: formatDate(sessionsDay) }) : undefined);
  $('adm-totals').textContent = shown.length === 0 ? '' : t('admin.sessions.totals', { ...totals, day });
  $('adm-sessions').querySelector('tbody')!.replaceChildren(...shown.map(session => {
    const row = element('tr');
    row.dataset.session = session.id;
    const phase = sessionPhase(session, now);
    row.dataset.phase = phase;
    const f = session.figures;
    const cells = [
      session.facilityName,
      session.doctors.map(d => d.name).join(', ') + (session.specialty ? ` (${session.specialty})` : ''),
      `${formatTime(session.startsAt)}–${formatTime(session.endsAt)}`,
      t(`admin.phase.${phase}`),
      `${formatNumber(f.placesTaken)} / ${formatNumber(session.capacity)}`,
      formatNumber(f.waiting), formatNumber(f.withDoctor), formatNumber(f.seen),
      f.bookingsMissed > 0 ? t('admin.sessions.noShowsWithBookings', { noShows: formatNumber(f.noShows), missed: formatNumber(f.bookingsMissed) }) : formatNumber(f.noShows),
      formatNumber(f.cancelledOrLeft),
      f.longestWaitMinutes === null ? t('admin.nobodyWaiting') : t('admin.minutes', { minutes: f.longestWaitMinutes }),
    ];
    const names = ['facility', 'doctors', 'time', 'status', 'booked', 'waiting', 'withDoctor', 'seen', 'noShows', 'cancelled', 'longestWait'];
    row.append(...cells.map((text, i) => {
      const cell = element(i === 0 ? 'th' : 'td', { textContent: text });
      if (i === 0) cell.setAttribute('scope', 'row');
      cell.dataset.figure = names[i];
      return cell;
    }));
    const title = () => `${session.facilityName}, ${formatTime(session.startsAt)}–${formatTime(session.endsAt)}`;
    const fees = element('button', { type: 'button', textContent: t('admin.fees.open') });
    fees.setAttribute('aria-label', t('admin.fees.openFor', { session: title() }));
    fees.dataset.action = 'fees';
    fees.addEventListener('click', () => void failSafely(() => openFees(session.id, title)));
    const cell = element('td');
    cell.append(fees);
    row.append(cell);
    return row;
  }));
}
