import { loadLanguage } from './shared/i18n';

// The pages load their language before rendering; the unit tests render in both.
await Promise.all([loadLanguage('en'), loadLanguage('hi')]);
