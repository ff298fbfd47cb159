import type { Api } from './api';
import { formatDate, formatNumber, onLanguageChange, t } from './i18n';

export interface OperationsDay {
  day: string; checkedIn: number | null; seen: number | null; noShows: number | null; cancelled: number | null;
  medianWaitMinutes: number | null; p90WaitMinutes: number | null; medianConsultationMinutes: number | null;
}
export interface SyndromeDay { day: string; syndrome: string; count: number | null; flagged: boolean; expected: number | null }
interface Facility { id: string; name: string; district: string }

/** Syndrome series for a chart: one line per syndrome over the given days, suppressed counts as gaps, flagged days marked. */
export function syndromeSeries(days: SyndromeDay[], labels: string[]) {
  const bySyndrome = new Map<string, SyndromeDay[]>();
  for (const day of days) bySyndrome.set(day.syndrome, [...(bySyndrome.get(day.syndrome) ?? []), day]);
  return [...bySyndrome.entries()].map(([syndrome, series]) => ({
    syndrome,
    counts: labels.map(label => series.find(d => d.day === label)?.count ?? null),
    flagged: labels.map(label => series.find(d => d.day === label)?.flagged ?? false),
  }));
}

/** The last n days (in India) as ISO dates, oldest first. */
export function lastDays(n: number, today = new Date()): string[] {
  const india = new Date(today.getTime() + 330 * 60_000);
  return Array.from({ length: n }, (_, i) => new Date(india.getTime() - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** The health officer's dashboard: waiting-time trend and daily volume of a facility, syndrome counts of its district with alerts. */
export class Dashboard {
  private charts: { destroy(): void }[] = [];
  private shown?: Facility;

  constructor(private readonly api: Api, private readonly $: (id: string) => HTMLElement) {
    // The charts' legends and the alerts are drawn from data: drawn again in the new language.
    onLanguageChange(() => void (this.shown && this.show(this.shown)));
  }

  async open() {
    const facilities = await this.api.get<Facility[]>('/api/facilities');
    const select = this.$('an-facility') as HTMLSelectElement;
    select.replaceChildren(...facilities.map(f => new Option(`${f.name} (${f.district})`, f.id)));
    select.onchange = () => void this.show(facilities.find(f => f.id === select.value)!);
    if (facilities.length > 0) await this.show(facilities[0]);
  }

  private async show(facility: Facility) {
    this.shown = facility;
    const labels = lastDays(30);
    const range = `from=${labels[0]}&to=${labels[labels.length - 1]}`;
    const [operations, syndromes, alerts] = await Promise.all([
      this.api.get<OperationsDay[]>(`/api/analytics/operations?facilityId=${facility.id}&${range}`),
      this.api.get<SyndromeDay[]>(`/api/analytics/syndromes?district=${encodeURIComponent(facility.district)}&${range}`),
      this.api.get<{ district: string; syndrome: string; day: string; count: number | null }[]>(`/api/analytics/alerts?${range}`),
    ]);
    const { Chart, LineController, BarController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip } = await import('chart.js');
    Chart.register(LineController, BarController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
    for (const chart of this.charts) chart.destroy();
    const at = (day: string) => operations.find(d => d.day === day);
    this.charts = [
      new Chart(this.$('an-waits') as HTMLCanvasElement, {
        type: 'line',
        data: { labels, datasets: [
          { label: t('analytics.medianWait'), data: labels.map(d => at(d)?.medianWaitMinutes ?? null), spanGaps: false },
          { label: t('analytics.p90Wait'), data: labels.map(d => at(d)?.p90WaitMinutes ?? null), spanGaps: false },
        ] },
      }),
      new Chart(this.$('an-volume') as HTMLCanvasElement, {
        type: 'bar',
        data: { labels, datasets: [
          { label: t('analytics.checkedIn'), data: labels.map(d => at(d)?.checkedIn ?? null) },
          { label: t('analytics.seen'), data: labels.map(d => at(d)?.seen ?? null) },
        ] },
      }),
      new Chart(this.$('an-syndromes') as HTMLCanvasElement, {
        type: 'line',
        data: { labels, datasets: syndromeSeries(syndromes, labels).map(series => ({
          label: series.syndrome,
          data: series.counts,
          pointRadius: series.flagged.map(flag => (flag ? 7 : 2)),
          pointStyle: series.flagged.map(flag => (flag ? 'triangle' : 'circle')),
        })) },
      }),
    ];
    this.$('an-alerts').replaceChildren(...(alerts.length === 0
      ? [Object.assign(document.createElement('li'), { textContent: t('analytics.noAlerts') })]
      : alerts.map(a => Object.assign(document.createElement('li'), { textContent: t('analytics.alert', {
        day: formatDate(a.day), syndrome: a.syndrome, district: a.district, count: a.count === null ? t('analytics.fewerThanFive') : formatNumber(a.count),
      }) }))));
    (this.$('an-csv') as HTMLButtonElement).onclick = () =>
      void this.api.download(`/api/analytics/operations?facilityId=${facility.id}&${range}&format=csv`, `operations-${labels[labels.length - 1]}.csv`);
  }
}
