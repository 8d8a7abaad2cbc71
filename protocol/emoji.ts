// What a reaction may be: exactly one emoji as Unicode defines them (an RGI
// emoji sequence: base, modifiers, joiners, flags, keycaps). JSON Schema
// cannot say it, so the server checks with this, and so can clients.
const ONE_EMOJI = /^\p{RGI_Emoji}$/v

/** True when `text` is exactly one RGI emoji. */
export const isEmoji = (text: string): boolean => text.length <= 32 && ONE_EMOJI.test(text)
