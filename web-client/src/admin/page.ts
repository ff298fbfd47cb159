/** What every part of the admin page uses. */

/** Status lines are kept as functions of the language, so a switch rewrites what is on screen. */
const statusLines = new Map<HTMLElement, () => string>();
export function say(element: HTMLElement, text: (() => string) | undefined) {
  if (text) statusLines.set(element, text);
  else statusLines.delete(element);
  element.textContent = text?.() ?? '';
}

/** Writes every status line again, in the language just chosen. */
export function rewriteStatusLines() {
  for (const [line, text] of statusLines) line.textContent = text();
}

export const reasonOf = (error: unknown) => (error as Error).message;

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Record<string, unknown> = {}): HTMLElementTagNameMap[K] {
  return Object.assign(document.createElement(tag), properties);
}

/** What a listed table says while it loads, when it is empty and when it fails ({reason}). */
export interface TableTexts { loading: () => string; empty: () => string; failed: (reason: string) => string }

/**
 * Fetches a list for a table, saying on its status line that it loads and, if it fails, why (the table is emptied);
 * undefined then.
 */
export async function loadList<T>(
  tableId: string, statusId: string, path: string, texts: TableTexts, get: (path: string) => Promise<T[]>,
): Promise<T[] | undefined> {
  const table = document.getElementById(tableId)!;
  const status = document.getElementById(statusId)!;
  table.setAttribute('aria-busy', 'true');
  say(status, texts.loading);
  try {
    return await get(path);
  } catch (error) {
    table.querySelector('tbody')!.replaceChildren();
    say(status, () => texts.failed(reasonOf(error)));
    return undefined;
  } finally {
    table.removeAttribute('aria-busy');
  }
}

/** One row per item: its first cell a row header, each cell named by its column (data-column) for tests and styles. */
export function renderList<T>(
  tableId: string, statusId: string, items: T[], texts: TableTexts,
  row: (item: T) => { data: Record<string, string>; attention: boolean; cells: [string, string][] },
) {
  say(document.getElementById(statusId)!, items.length === 0 ? texts.empty : undefined);
  document.getElementById(tableId)!.querySelector('tbody')!.replaceChildren(...items.map(item => {
    const { data, attention, cells } = row(item);
    const tr = element('tr');
    Object.assign(tr.dataset, data);
    if (attention) tr.className = 'attention';
    tr.append(...cells.map(([name, text], i) => {
      const cell = element(i === 0 ? 'th' : 'td', { textContent: text });
      if (i === 0) cell.setAttribute('scope', 'row');
      cell.dataset.column = name;
      return cell;
    }));
    return tr;
  }));
}
