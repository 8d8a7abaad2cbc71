// The page's language: chosen once at start (the saved choice, else the
// browser's languages, else English), set on <html lang>, and used by every
// view through t() and the Intl formatters in format.ts. A switch is saved and
// the page reloads: the session, the conversation shown and the drafts are all
// kept in localStorage, so nothing is lost, and no view has to know how to
// redraw its strings.
import { createTranslator, isLang, LANG_NAMES, LANGS, pickLang, type Lang, type MessageKey, type Params, type Translator } from './i18n/catalog.ts'

export type { Lang, MessageKey, Params } from './i18n/catalog.ts'

const STORAGE_KEY = 'wirechat.lang'

let translator: Translator = createTranslator('en')
let localeTag = 'en'
const listeners = new Set<() => void>()

/** The browser's preferred languages (navigator.languages, else navigator.language). */
const preferred = (): readonly string[] => (typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language])

/**
 * The tag dates and numbers are formatted with: the first preferred language of the same base as
 * `lang` (an en-GB reader keeps 24-hour times), else the language itself.
 */
function localeFor(lang: Lang): string {
  return preferred().find((tag) => tag.toLowerCase().split('-')[0] === lang) ?? lang
}

function savedChoice(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

/** Speaks `lang` from now on (no reload; see switchLanguage). */
export function useLanguage(lang: Lang): void {
  localeTag = localeFor(lang)
  translator = createTranslator(lang, localeTag)
  if (typeof document !== 'undefined') document.documentElement.lang = lang
  for (const listener of listeners) listener()
}

/** Picks the language at page start and translates the page's HTML. */
export function startLanguage(): Lang {
  const lang = pickLang(savedChoice(), preferred())
  useLanguage(lang)
  translateStatic(document)
  return lang
}

/** The language spoken now. */
export const currentLang = (): Lang => translator.lang
/** The BCP 47 tag for Intl formatters. */
export const currentLocale = (): string => localeTag

/** The message `key` in the current language. */
export function t(key: MessageKey, params?: Params): string {
  return translator.t(key, params)
}

/** Called after the language changed (formatters cached elsewhere are rebuilt). */
export function onLanguage(listener: () => void): void {
  listeners.add(listener)
}

/** Saves `lang` as this browser's choice and reloads the page in it. */
export function switchLanguage(lang: Lang): void {
  if (lang === translator.lang) return
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // Storage refused: the switch holds for this page only.
    useLanguage(lang)
    return translateStatic(document)
  }
  location.reload()
}

const ATTRS = ['aria-label', 'placeholder', 'title'] as const

/**
 * Translates the HTML's fixed strings: `data-i18n="key"` sets the text, `data-i18n-aria-label`,
 * `data-i18n-placeholder` and `data-i18n-title` set those attributes. The English text stays in
 * the HTML for the moment before the script runs.
 */
export function translateStatic(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as MessageKey)
  for (const attr of ATTRS) {
    for (const el of root.querySelectorAll<HTMLElement>(`[data-i18n-${attr}]`)) el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`) as MessageKey))
  }
}

/** Fills a <select> with the languages (each named in itself) and switches on change. */
export function languageMenu(select: HTMLSelectElement): void {
  select.replaceChildren(
    ...LANGS.map((lang) => {
      const option = document.createElement('option')
      option.value = lang
      option.lang = lang
      option.textContent = LANG_NAMES[lang]
      return option
    }),
  )
  select.value = translator.lang
  select.addEventListener('change', () => {
    if (isLang(select.value)) switchLanguage(select.value)
  })
}

/**
 * The text of `key` on either side of its `{slot}` placeholder, for a sentence around an element
 * (a bold name): English "Replying to {name}: " → ["Replying to ", ": "], Korean "{name}에게 답장: " → ["", "에게 답장: "].
 */
export function textAround(key: MessageKey, slot: string, params: Params = {}): [before: string, after: string] {
  const marker = '\u0000'
  const [before = '', after = ''] = t(key, { ...params, [slot]: marker }).split(marker)
  return [before, after]
}
