// Message catalogs and the translator: one catalog per language, a key set
// typed by the English one (a key missing from another catalog fails the
// typecheck), `{name}` placeholders and plurals chosen by Intl.PluralRules
// (ICU's categories: English has "one" and "other", Korean only "other").
// Pure: no DOM, so the unit and e2e tests use the same catalogs and t().
import { en } from './en.ts'
import { ko } from './ko.ts'

/** The plural forms of one message, by Intl.PluralRules category; `other` is always there. */
export type Plural = { other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>
/** A message: a text with `{placeholders}`, or plural forms chosen by the `count` parameter. */
export type Message = string | Plural
/** Every message key: the English catalog is the reference. */
export type MessageKey = keyof typeof en
/** A complete catalog: every key of the English one, and no other. */
export type Catalog = Record<MessageKey, Message>
/** Values for a message's placeholders; numbers are formatted for the language. */
export type Params = Record<string, string | number>

/** The languages the page speaks, with their catalogs. */
export const CATALOGS = { en, ko } as const satisfies Record<string, Catalog>
export type Lang = keyof typeof CATALOGS
export const LANGS = Object.keys(CATALOGS) as Lang[]
/** Each language's name in itself, for the language menu. */
export const LANG_NAMES: Record<Lang, string> = { en: 'English', ko: '한국어' }

export const isLang = (value: unknown): value is Lang => typeof value === 'string' && Object.hasOwn(CATALOGS, value)

/**
 * The language to speak: the saved choice, else the first of the browser's preferred
 * languages (`ko-KR` counts as `ko`) that has a catalog, else English.
 */
export function pickLang(saved: string | null | undefined, preferred: readonly string[]): Lang {
  if (isLang(saved)) return saved
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0]
    if (isLang(base)) return base
  }
  return 'en'
}

/** The placeholder names of a text: "{name} joined" → ["name"]. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
}

/** Translates keys of one language; `locale` (a BCP 47 tag of that language, e.g. "en-GB") shapes numbers. */
export interface Translator {
  readonly lang: Lang
  /** The message `key` with `params` filled in; with a `count` parameter, its plural form. */
  t(key: MessageKey, params?: Params): string
}

export function createTranslator(lang: Lang, locale: string = lang): Translator {
  const catalog: Catalog = CATALOGS[lang]
  const plurals = new Intl.PluralRules(locale)
  const numbers = new Intl.NumberFormat(locale)
  const fill = (text: string, params: Params | undefined): string =>
    params === undefined
      ? text
      : text.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const value = params[name]
          return value === undefined ? whole : typeof value === 'number' ? numbers.format(value) : value
        })
  return {
    lang,
    t(key, params) {
      const message = catalog[key] ?? CATALOGS.en[key]
      if (typeof message === 'string') return fill(message, params)
      const count = Number(params?.count ?? 0)
      return fill(message[plurals.select(count)] ?? message.other, params)
    },
  }
}
