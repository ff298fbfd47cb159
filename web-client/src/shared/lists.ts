/** A list's items, or one item saying why it is empty. */
export function fillList(list: HTMLElement, items: HTMLElement[], whenEmpty: string) {
  list.replaceChildren(...(items.length > 0 ? items : [Object.assign(document.createElement('li'), { textContent: whenEmpty })]));
}
