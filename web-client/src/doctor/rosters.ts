import './doctor-page';
import { $, api, failSafely } from '../shared/app';
import { onLanguageChange, t } from '../shared/i18n';
import { fillList } from '../shared/lists';

/** One of the doctor's rosters (RosterView). */
interface Roster { id: string; hubName: string; specialty: string; days: string[]; from: string; to: string; capacity: number; slotMinutes: number; withdrawn: boolean }

let rosters: Roster[] | undefined;

onLanguageChange(renderRosters);

/**
 * The doctor's weekly hours for spoke centres: published at a hub they work at, listed with a way to withdraw them.
 * Spokes linked to the hub book these hours' slots for the patients they bring in.
 */
export async function prepareRosters(facilities: { id: string; name: string }[], specialty: string | null | undefined) {
  $('rs-hub').replaceChildren(...facilities.map(facility => new Option(facility.name, facility.id)));
  const input = $<HTMLInputElement>('rs-specialty');
  if (!input.value) input.value = specialty ?? '';
  rosters = await api.get<Roster[]>('/api/rosters/mine');
  renderRosters();
}

$('roster-form').addEventListener('submit', event => {
  event.preventDefault();
  void failSafely(async () => {
    const value = (id: string) => $<HTMLInputElement>(id).value.trim();
    const days = [...$('rs-days').querySelectorAll<HTMLInputElement>('input:checked')].map(box => box.value);
    const published = await api.post<Roster>('/api/rosters', {
      hubId: value('rs-hub'), specialty: value('rs-specialty'), days, from: value('rs-from'), to: value('rs-to'),
      capacity: Number(value('rs-capacity')) || undefined, slotMinutes: Number(value('rs-slot')) || undefined,
    });
    rosters = [...(rosters ?? []), published];
    renderRosters();
    $('rs-status').textContent = t('doctor.rosterPublished');
  });
});

function renderRosters() {
  if (!rosters) return;
  fillList($('rosters'), rosters.filter(r => !r.withdrawn).map(roster => {
    const item = document.createElement('li');
    item.dataset.roster = roster.id;
    item.textContent = t('doctor.rosterLine', {
      specialty: roster.specialty, hub: roster.hubName, days: roster.days.map(day => t(`day.${day.toLowerCase()}` as 'day.monday')).join(', '),
      from: roster.from, to: roster.to, capacity: roster.capacity,
    }) + ' ';
    const withdraw = Object.assign(document.createElement('button'), { type: 'button', textContent: t('doctor.rosterWithdraw') });
    withdraw.addEventListener('click', () => void failSafely(async () => {
      await api.post(`/api/rosters/${roster.id}/withdraw`);
      rosters = rosters?.filter(r => r.id !== roster.id);
      renderRosters();
    }));
    item.append(withdraw);
    return item;
  }), t('doctor.rostersEmpty'));
}
