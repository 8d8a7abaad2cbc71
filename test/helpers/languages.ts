// The languages the e2e tests run the main chat flows in, and the page's words
// in each, straight from its catalogs: a test finds "bob joined" or "bob 님이
// 들어왔어요" with the same t() the page uses, so no selector depends on English.
// WIRECHAT_E2E_LANG=ko (or en, or "en,ko") narrows the run.
import { createTranslator, isLang, LANGS, type Lang, type Translator } from '../../client/page/i18n/catalog.ts'

/** The browser locale each language is tested with (the page picks its language from it). */
export const LOCALES: Record<Lang, string> = { en: 'en-US', ko: 'ko-KR' }

/** The languages of this run. */
export const E2E_LANGS: Lang[] = (process.env.WIRECHAT_E2E_LANG ?? LANGS.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(isLang)

export interface Language extends Translator {
  /** The browser context's locale. */
  locale: string
  /** A suffix for artifact names: "" in English (the names screenshots always had), "-ko" otherwise. */
  suffix: string
}

export function language(lang: Lang): Language {
  const { t } = createTranslator(lang, LOCALES[lang])
  return { lang, t, locale: LOCALES[lang], suffix: lang === 'en' ? '' : `-${lang}` }
}
