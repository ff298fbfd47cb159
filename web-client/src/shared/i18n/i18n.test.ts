/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { hi } from './hi';
import { applyTranslations, formatDate, formatNumber, formatTime, onLanguageChange, preferredLanguage, relationWords, setLanguage, t, type MessageKey } from '.';

const messages = { en, hi };
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(match => match[1]).sort();
const pages = import.meta.glob<string>('../../../*.html', { query: '?raw', import: 'default', eager: true });

describe('message files', () => {
  it('have the same keys in English and Hindi, none empty', () => {
    expect(Object.keys(messages.hi).sort()).toEqual(Object.keys(messages.en).sort());
    for (const language of ['en', 'hi'] as const) {
      for (const [key, text] of Object.entries(messages[language])) expect(text.trim(), `${language} ${key}`).not.toBe('');
    }
  });

  it('give each Hindi message the placeholders of its English one', () => {
    for (const key of Object.keys(messages.en) as MessageKey[]) expect(placeholders(messages.hi[key]), key).toEqual(placeholders(messages.en[key]));
  });

  it('are in Devanagari for Hindi, not transliterated', () => {
    for (const key of ['waiting.token', 'token.called', 'token.waiting', 'board.nowServing'] as const) expect(messages.hi[key]).toMatch(/[\u0900-\u097F]/);
  });

  it('know every data-i18n key the pages use', () => {
    expect(Object.keys(pages).length).toBe(4);
    for (const [page, html] of Object.entries(pages)) {
      for (const [, key] of html.matchAll(/data-i18n(?:-[\w-]+)?="([^"]+)"/g)) expect(messages.en, `${page}: ${key}`).toHaveProperty([key]);
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

  it('sets <html lang>, the static texts, the switch and what the page renders itself', async () => {
    const heading = new FakeElement({ 'data-i18n': 'board.nowServing' });
    const button = new FakeElement({ id: 'language', 'data-i18n': 'language.switch', lang: 'hi' });
    const { page } = fakePage(heading, button);
    let rendered = '';
    onLanguageChange(() => { rendered = t('token.waiting'); });

    await setLanguage('hi', page);
    expect(page.documentElement.lang).toBe('hi');
    expect(heading.textContent).toBe('अभी बारी');
    expect(button.textContent).toBe('English');
    expect(button.getAttribute('lang')).toBe('en');
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
