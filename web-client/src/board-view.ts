/** One OPD session on the waiting-room display: token numbers only, never names. */
export interface BoardLine { sessionId: string; specialty?: string; status: string; nowServing: number[]; upNext: number[]; waiting: number }

/** What the display shows for a line, in words; kept apart from the DOM so it is tested on its own. */
export function describe(line: BoardLine) {
  return {
    title: line.specialty ?? 'OPD',
    serving: line.nowServing.length > 0 ? line.nowServing.join(' · ') : '—',
    next: line.status === 'paused' ? 'Paused' : line.upNext.length > 0 ? line.upNext.join('  ') : 'No one waiting',
  };
}
