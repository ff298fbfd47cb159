/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { applyTranslations, formatAgo, formatDate, formatNumber, formatTime, languages, onLanguageChange, preferredLanguage, relationWords, setLanguage, t, type Catalogue, type MessageKey } from '.';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(match => match[1]).sort();
// The pages, and the role sections that come with each role's code (src/doctor/doctor.html, …).
const pages = import.meta.glob<string>(['../../../*.html', '../../*/*.html'], { query: '?raw', import: 'default', eager: true });
// Every message file, by language code: en.ts exports en, hi.ts exports hi, and so on.
const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./index.ts', '!./*.test.ts'], { eager: true });
const catalogues = Object.fromEntries(Object.entries(modules).map(([path, module]) => {
  const code = path.slice(2, -3);
  return [code, module[code] as Catalogue];
}));
// The script each language is written in, as a Unicode block.
const scripts: Record<string, RegExp> = {
  hi: /[\u0900-\u097F]/, mr: /[\u0900-\u097F]/, bn: /[\u0980-\u09FF]/, pa: /[\u0A00-\u0A7F]/, gu: /[\u0A80-\u0AFF]/,
  or: /[\u0B00-\u0B7F]/, ta: /[\u0B80-\u0BFF]/, te: /[\u0C00-\u0C7F]/, kn: /[\u0C80-\u0CFF]/, ml: /[\u0D00-\u0D7F]/,
};

describe('message files', () => {
  it('are one per language the chooser lists, each exporting its catalogue', () => {
    expect(Object.keys(catalogues).sort()).toEqual(languages.map(l => l.code).sort());
    for (const [code, catalogue] of Object.entries(catalogues)) expect(catalogue, code).toBeTypeOf('object');
  });

  it('have the keys of English in every language, none empty, each with the placeholders of its English message', () => {
    for (const [code, catalogue] of Object.entries(catalogues)) {
      expect(Object.keys(catalogue).sort(), code).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as MessageKey[]) {
        expect(catalogue[key].trim(), `${code} ${key}`).not.toBe('');
        expect(placeholders(catalogue[key]), `${code} ${key}`).toEqual(placeholders(en[key]));
      }
    }
  });

  it('are in each language\'s own script, not transliterated', () => {
    for (const [code, catalogue] of Object.entries(catalogues).filter(([code]) => code !== 'en')) {
      expect(scripts[code], `the script of ${code}`).toBeDefined();
      for (const key of ['waiting.token', 'token.called', 'token.waiting', 'board.nowServing', 'signin.heading', 'language.choose'] as const) {
        expect(catalogue[key], `${code} ${key}`).toMatch(scripts[code]);
      }
    }
  });

  it('mark what awaits a native speaker\'s review in every language but English', () => {
    for (const [path, module] of Object.entries(modules).filter(([path]) => path !== './en.ts')) {
      const awaiting = module.awaitingReview;
      expect(awaiting === 'every string' || (Array.isArray(awaiting) && awaiting.every(key => key in en)), path).toBe(true);
    }
  });

  it('offer every language at sign-in, in the registry\'s order, each named in itself', () => {
    const page = Object.entries(pages).find(([path]) => path.endsWith('/index.html'))![1];
    const choices = [...page.matchAll(/<label lang="([^"]+)"><input type="radio" name="patient-language" value="([^"]+)"> ([^<]+)<\/label>/g)]
      .map(([, lang, code, name]) => ({ code, name, lang }));
    expect(choices).toEqual(languages.map(({ code, name }) => ({ code, name, lang: code })));
  });

  it('know every data-i18n key the pages use', () => {
    expect(Object.keys(pages).map(path => path.replace(/^.*\//, '')).sort()).toEqual([
      'admin.html', 'analytics.html', 'board.html', 'doctor.html', 'health-worker.html', 'index.html', 'pharmacy.html', 'reset-password.html', 'verify.html',
    ]);
    for (const [page, html] of Object.entries(pages)) {
      for (const [, key] of html.matchAll(/data-i18n(?:-[\w-]+)?="([^"]+)"/g)) expect(en, `${page}: ${key}`).toHaveProperty([key]);
    }
  });
});

describe('formatting', () => {
  it('groups numbers the Indian way in both languages', () => {
    expect(formatNumber(1234567.5, 'en')).toBe('12,34,567.5');
    expect(formatNumber(1234567.5, 'hi')).toBe('12,34,567.5');
  });

  it('writes dates for the locale and keeps a calendar day on its day', () => {
    expect(formatDate('2026-11-25', 'en')).toBe('25 Nov 2026');
    expect(formatDate('2026-11-25', 'hi')).toMatch(/^25 नव\S* 2026$/);
  });

  it('writes a time of day for the locale, in the browser\'s time zone', () => {
    expect(formatTime(new Date(2026, 10, 25, 14, 5), 'en')).toMatch(/^2:05\spm$/);
    expect(formatTime(new Date(2026, 10, 25, 9, 30), 'hi')).toMatch(/^9:30\s/);
  });

  it('says how long ago in its largest whole unit', () => {
    const now = new Date('2026-12-08T12:00:00Z');
    expect(formatAgo('2026-12-08T08:24:00Z', now, 'en')).toBe('3 hours ago');
    expect(formatAgo('2026-12-08T11:59:30Z', now, 'en')).toBe('this minute');
    expect(formatAgo('2026-12-07T11:00:00Z', now, 'en')).toBe('yesterday');
    expect(formatAgo('2026-12-08T08:24:00Z', now, 'hi')).toMatch(/^3 घंटे पहले$/);
  });

  it('fills placeholders, formatting numbers', () => {
    expect(t('waiting.minutes', { minutes: 1500 }, 'en')).toBe('about 1,500 min');
    expect(t('waiting.minutes', { minutes: 12 }, 'hi')).toBe('लगभग 12 मिनट');
    expect(t('call.them', { text: 'fever since {day}' }, 'en')).toBe('Them: fever since {day}');
  });
});

describe('language choice', () => {
  it('prefers the saved choice, then a Hindi browser, then English', () => {
    expect(preferredLanguage('en', 'hi-IN')).toBe('en');
    expect(preferredLanguage(null, 'hi-IN')).toBe('hi');
    expect(preferredLanguage(null, 'hi')).toBe('hi');
    expect(preferredLanguage(null, 'en-US')).toBe('en');
    expect(preferredLanguage('fr', undefined)).toBe('en');
    expect(preferredLanguage(null, 'fr-FR')).toBe('en');
  });
});

/** Just enough of an element and a document for the switch (no DOM library in these tests). */
class FakeElement {
  textContent = '';
  readonly attributes = new Map<string, string>();
  constructor(attributes: Record<string, string>) {
    for (const [name, value] of Object.entries(attributes)) this.attributes.set(name, value);
  }
  getAttribute(name: string) { return this.attributes.get(name) ?? null; }
  setAttribute(name: string, value: string) { this.attributes.set(name, value); }
}

function fakePage(...elements: FakeElement[]) {
  const marker = (selector: string) => /^\[(.+)\]$/.exec(selector)![1];
  const root = { querySelectorAll: (selector: string) => elements.filter(e => e.attributes.has(marker(selector))) };
  const page = {
    ...root,
    documentElement: { lang: 'en' },
    getElementById: (id: string) => elements.find(e => e.getAttribute('id') === id) ?? null,
  };
  return { root: root as unknown as ParentNode, page: page as unknown as Document };
}

describe('switching language', () => {
  it('translates the text and the attributes of marked elements', () => {
    const heading = new FakeElement({ 'data-i18n': 'waiting.token' });
    const input = new FakeElement({ 'data-i18n-placeholder': 'record.instructionsExample', 'data-i18n-aria-label': 'record.instructions' });
    applyTranslations(fakePage(heading, input).root, 'hi');
    expect(heading.textContent).toBe('आपका टोकन');
    expect(input.getAttribute('placeholder')).toBe('खाने के बाद');
    expect(input.getAttribute('aria-label')).toBe('निर्देश');
  });

  it('sets <html lang>, the static texts, the chooser and what the page renders itself', async () => {
    const heading = new FakeElement({ 'data-i18n': 'board.nowServing' });
    const chooser = new FakeElement({ id: 'language', 'data-i18n-aria-label': 'language.choose' }) as FakeElement & { value?: string };
    const { page } = fakePage(heading, chooser);
    let rendered = '';
    onLanguageChange(() => { rendered = t('token.waiting'); });

    await setLanguage('hi', page);
    expect(page.documentElement.lang).toBe('hi');
    expect(heading.textContent).toBe('अभी बारी');
    expect(chooser.getAttribute('aria-label')).toBe('भाषा');
    expect(chooser.value).toBe('hi');
    expect(rendered).toBe('प्रतीक्षा में');

    await setLanguage('en', page);
    expect(heading.textContent).toBe('Now serving');
    expect(rendered).toBe('Waiting');
  });
});

describe('relations in a sentence', () => {
  it('are the relation\'s words in lower case, and an unknown one as it came', () => {
    expect(relationWords('parent', 'en')).toBe('parent');
    expect(relationWords('legalGuardian', 'en')).toBe('legal guardian');
    expect(relationWords('parent', 'hi')).toBe('माता या पिता');
    expect(relationWords('cousin', 'en')).toBe('cousin');
    expect(relationWords(null, 'en')).toBe('');
  });
});
