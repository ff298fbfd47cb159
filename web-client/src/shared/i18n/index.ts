import type { MessageKey } from './en';

export type { MessageKey };
export type Catalogue = Record<MessageKey, string>;

/**
 * Every language the web client speaks: its own name (as a speaker reads it), its Intl locale (Indian conventions:
 * lakh grouping, day-month-year dates) and its messages, each a chunk of its own fetched when the language is chosen,
 * so a visitor downloads one.
 */
const registry = {
  en: { name: 'English', locale: 'en-IN', load: () => import('./en').then(module => module.en) },
  hi: { name: 'हिन्दी', locale: 'hi-IN', load: () => import('./hi').then(module => module.hi) },
  bn: { name: 'বাংলা', locale: 'bn-IN', load: () => import('./bn').then(module => module.bn) },
  mr: { name: 'मराठी', locale: 'mr-IN', load: () => import('./mr').then(module => module.mr) },
  te: { name: 'తెలుగు', locale: 'te-IN', load: () => import('./te').then(module => module.te) },
  ta: { name: 'தமிழ்', locale: 'ta-IN', load: () => import('./ta').then(module => module.ta) },
  gu: { name: 'ગુજરાતી', locale: 'gu-IN', load: () => import('./gu').then(module => module.gu) },
  kn: { name: 'ಕನ್ನಡ', locale: 'kn-IN', load: () => import('./kn').then(module => module.kn) },
  ml: { name: 'മലയാളം', locale: 'ml-IN', load: () => import('./ml').then(module => module.ml) },
  or: { name: 'ଓଡ଼ିଆ', locale: 'or-IN', load: () => import('./or').then(module => module.or) },
  pa: { name: 'ਪੰਜਾਬੀ', locale: 'pa-IN', load: () => import('./pa').then(module => module.pa) },
} satisfies Record<string, { name: string; locale: string; load: () => Promise<Catalogue> }>;

export type Language = keyof typeof registry;

/** The languages in the order a chooser lists them, each by its own name. */
export const languages: readonly { code: Language; name: string }[] =
  (Object.keys(registry) as Language[]).map(code => ({ code, name: registry[code].name }));

export function isLanguage(code: string | null | undefined): code is Language {
  return code != null && Object.hasOwn(registry, code);
}

const catalogues: Partial<Record<Language, Catalogue>> = {};
const storageKey = 'telemed.language';
const translatedAttributes = ['placeholder', 'aria-label'] as const;

let language: Language = 'en';
const listeners: (() => void)[] = [];

/** The language chosen before on this device, else the browser's if Telemed speaks it ("ta-IN" is Tamil), else English. */
export function preferredLanguage(saved: string | null, browserLanguage: string | undefined): Language {
  if (isLanguage(saved)) return saved;
  const spoken = browserLanguage?.toLowerCase().split('-')[0];
  return isLanguage(spoken) ? spoken : 'en';
}

export function currentLanguage(): Language {
  return language;
}

export function formatNumber(value: number, lang = language): string {
  return new Intl.NumberFormat(registry[lang].locale).format(value);
}

/** An amount the API sends in paise, as rupees: "₹500", "₹1,250.50" (paise shown only when there are some). */
export function formatRupees(paise: number, lang = language): string {
  const whole = paise % 100 === 0;
  return new Intl.NumberFormat(registry[lang].locale, { style: 'currency', currency: 'INR', minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 }).format(paise / 100);
}

/** A calendar day ("2026-11-25", as the API sends DateOnly) stays that day; a timestamp is shown in the browser's time zone. */
export function formatDate(value: string | Date, lang = language): string {
  const dayOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(registry[lang].locale, { dateStyle: 'medium', timeZone: dayOnly ? 'UTC' : undefined }).format(new Date(value));
}

/** A day of the week as the locale names it; 0 is Monday (1 January 2024 was one). */
export function weekdayName(mondayFirst: number, lang = language): string {
  return new Intl.DateTimeFormat(registry[lang].locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + mondayFirst)));
}

/** A time of day ("09:30 am"), in the browser's time zone, as the locale writes it. */
export function formatTime(value: string | Date, lang = language): string {
  return new Intl.DateTimeFormat(registry[lang].locale, { timeStyle: 'short' }).format(new Date(value));
}

/** How long ago, in its largest whole unit ("3 hours ago", "yesterday"), as the locale says it. */
export function formatAgo(value: string | Date, now = new Date(), lang = language): string {
  const seconds = (new Date(value).getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(registry[lang].locale, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60]] as const) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/** How someone is related (a family member, an accompanying adult), as words inside a sentence: "you are their parent". */
export function relationWords(relation: string | null | undefined, lang = language): string {
  const key = `person.relation.${relation}`;
  return relation && isMessageKey(key) ? t(key, {}, lang).toLocaleLowerCase(registry[lang].locale) : relation ?? '';
}

/** Fetches a language's messages (once); t and the pages need them loaded. */
export async function loadLanguage(lang: Language): Promise<void> {
  catalogues[lang] ??= await registry[lang].load();
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
  const chooser = page.getElementById('language') as HTMLSelectElement | null;
  if (chooser) chooser.value = next;
  for (const listener of listeners) listener();
}

/** For texts a page renders from data: called again after every switch. */
export function onLanguageChange(render: () => void) {
  listeners.push(render);
}

/** The person's choice (the #language chooser, the sign-in's language step): the page switches and remembers it on this device. */
export function chooseLanguage(next: Language, page: Document = document) {
  localStorage.setItem(storageKey, next);
  return setLanguage(next, page);
}

/**
 * Fills a chooser (a select) with every language, each named in itself and marked with its own lang for screen
 * readers and fonts.
 */
export function fillLanguageChooser(chooser: HTMLSelectElement, page: Document = document) {
  chooser.replaceChildren(...languages.map(({ code, name }) => {
    const option = page.createElement('option');
    option.value = code;
    option.lang = code;
    option.textContent = name;
    return option;
  }));
}

/** Starts the page in the preferred language (resolves once its messages are in); the #language chooser switches it. */
export async function startI18n(page: Document = document) {
  const chooser = page.getElementById('language') as HTMLSelectElement | null;
  if (chooser) {
    fillLanguageChooser(chooser, page);
    chooser.addEventListener('change', () => { if (isLanguage(chooser.value)) void chooseLanguage(chooser.value, page); });
  }
  await setLanguage(preferredLanguage(localStorage.getItem(storageKey), navigator.language), page);
}
