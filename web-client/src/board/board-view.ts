import { formatNumber, t } from '../shared/i18n';

/** One OPD session on the waiting-room display: token numbers only, never names. */
export interface BoardLine { sessionId: string; specialty?: string; status: string; nowServing: number[]; upNext: number[]; waiting: number }

/** What the display shows for a line, in words; kept apart from the DOM so it is tested on its own. */
export function describe(line: BoardLine) {
  const tokens = (numbers: number[], separator: string) => numbers.map(n => formatNumber(n)).join(separator);
  return {
    title: line.specialty ?? t('opd'),
    serving: line.nowServing.length > 0 ? tokens(line.nowServing, ' · ') : '—',
    next: line.status === 'paused' ? t('board.paused') : line.upNext.length > 0 ? tokens(line.upNext, '  ') : t('board.noneWaiting'),
  };
}
