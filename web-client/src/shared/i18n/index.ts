import type { MessageKey } from './en';

export type { MessageKey };
export type Language = 'en' | 'hi';
export type Catalogue = Record<MessageKey, string>;

// Each language's messages are a chunk of their own, fetched when the language is chosen: a visitor downloads one.
const catalogueLoaders: Record<Language, () => Promise<Catalogue>> = {
  en: () => import('./en').then(module => module.en),
  hi: () => import('./hi').then(module => module.hi),
};
const catalogues: Partial<Record<Language, Catalogue>> = {};
// Indian conventions in both languages: lakh grouping, day-month-year dates.
const locales: Record<Language, string> = { en: 'en-IN', hi: 'hi-IN' };
const storageKey = 'telemed.language';
const translatedAttributes = ['placeholder', 'aria-label'] as const;

let language: Language = 'en';
const listeners: (() => void)[] = [];

/** The language chosen before on this device, else the browser's if it is Hindi, else English. */
export function preferredLanguage(saved: string | null, browserLanguage: string | undefined): Language {
  if (saved === 'en' || saved === 'hi') return saved;
  return browserLanguage?.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

export function currentLanguage(): Language {
  return language;
}

export function formatNumber(value: number, lang = language): string {
  return new Intl.NumberFormat(locales[lang]).format(value);
}

/** An amount the API sends in paise, as rupees: "₹500", "₹1,250.50" (paise shown only when there are some). */
export function formatRupees(paise: number, lang = language): string {
  const whole = paise % 100 === 0;
  return new Intl.NumberFormat(locales[lang], { style: 'currency', currency: 'INR', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 }).format(paise / 100);
}

/** A calendar day ("2026-11-25", as the API sends DateOnly) stays that day; a timestamp is shown in the browser's time zone. */
export function formatDate(value: string | Date, lang = language): string {
  const dayOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(locales[lang], { dateStyle: 'medium', timeZone: dayOnly ? 'UTC' : undefined }).format(new Date(value));
}

/** A time of day ("09:30 am"), in the browser's time zone, as the locale writes it. */
export function formatTime(value: string | Date, lang = language): string {
  return new Intl.DateTimeFormat(locales[lang], { timeStyle: 'short' }).format(new Date(value));
}

/** How someone is related (a family member, an accompanying adult), as words inside a sentence: "you are their parent". */
export function relationWords(relation: string | null | undefined, lang = language): string {
  const key = `person.relation.${relation}`;
  return relation && isMessageKey(key) ? t(key, {}, lang).toLocaleLowerCase(locales[lang]) : relation ?? '';
}

/** Fetches a language's messages (once); t and the pages need them loaded. */
export async function loadLanguage(lang: Language): Promise<void> {
  catalogues[lang] ??= await catalogueLoaders[lang]();
}

/** Whether a language's messages are in: a page draws its texts once they are. */
export function messagesLoaded(lang = language): boolean {
  return catalogues[lang] !== undefined;
}

function catalogue(lang: Language): Catalogue {
  const loaded = catalogues[lang];
  if (!loaded) throw new Error(`The ${lang} messages are not loaded.`);
  return loaded;
}

/** For keys made from data (a token state the server may add before the client knows it). Every language has the same keys. */
export function isMessageKey(key: string): key is MessageKey {
  return key in catalogue(language);
}

/** The message in the current language with its {placeholders} filled in; numbers are formatted for the locale. */
export function t(key: MessageKey, params: Record<string, string | number> = {}, lang = language): string {
  return catalogue(lang)[key].replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    if (value === undefined) return placeholder;
    return typeof value === 'number' ? formatNumber(value, lang) : value;
  });
}

/** Fills every element marked data-i18n (its text) or data-i18n-placeholder / data-i18n-aria-label (that attribute). */
// Only what differs is written: the pages are built in English, and rewriting every text anyway restyles the whole
// page on a slow phone's first load.
export function applyTranslations(root: Pick<ParentNode, 'querySelectorAll'>, lang = language) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    const text = t(element.getAttribute('data-i18n') as MessageKey, {}, lang);
    if (element.textContent !== text) element.textContent = text;
  }
  for (const attribute of translatedAttributes) {
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      const text = t(element.getAttribute(`data-i18n-${attribute}`) as MessageKey, {}, lang);
      if (element.getAttribute(attribute) !== text) element.setAttribute(attribute, text);
    }
  }
}

/** Switches the page once its messages are in: <html lang> (screen readers, fonts, hyphenation), the static texts, then whatever the page renders itself. */
export async function setLanguage(next: Language, page: Document = document) {
  await loadLanguage(next);
  language = next;
  page.documentElement.lang = next;
  applyTranslations(page);
  // The switch names the other language in that language, so it is marked as such for screen readers.
  page.getElementById('language')?.setAttribute('lang', next === 'en' ? 'hi' : 'en');
  for (const listener of listeners) listener();
}

/** For texts a page renders from data: called again after every switch. */
export function onLanguageChange(render: () => void) {
  listeners.push(render);
}

/** The person's choice (the #language button, the sign-in's language step): the page switches and remembers it on this device. */
export function chooseLanguage(next: Language, page: Document = document) {
  localStorage.setItem(storageKey, next);
  return setLanguage(next, page);
}

/** Starts the page in the preferred language (resolves once its messages are in); the #language button switches it. */
export async function startI18n(page: Document = document) {
  page.getElementById('language')?.addEventListener('click', () => void chooseLanguage(language === 'en' ? 'hi' : 'en', page));
  await setLanguage(preferredLanguage(localStorage.getItem(storageKey), navigator.language), page);
}
