// i18next set-up for the agent interface (PRODUCT.md LG7). Every agent-facing string is a key
// in locales/en.json and locales/zh-CN.json; src/i18n/i18n.test.ts checks both hold every key.

import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../api/types';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

export const LANGUAGES: Language[] = ['en', 'zh-CN'];
export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** The language to show before we know the agent: the browser's, if we have it. */
export function browserLanguage(languages: readonly string[] = navigator.languages ?? [navigator.language]): Language {
  for (const l of languages) {
    if (l.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

export function initI18n(language: Language): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
  });
  document.documentElement.lang = language;
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18n;
}

export default i18n;
