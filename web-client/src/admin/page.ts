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
