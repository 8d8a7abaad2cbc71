// Namespaces (chat.v1 1.2.0): the operator's policy units. A room name
// "news:releases" lives in namespace "news"; a name without ":" lives in the
// default namespace, named "". Announced in login-ok to clients of 1.2.0.
import Type from 'typebox'
import { MAX_NAMESPACE_CHARS, MAX_TEXT_CHARS, NAMESPACE_PATTERN } from '../primitives.ts'

export const NamespaceName = Type.String({
  maxLength: MAX_NAMESPACE_CHARS,
  pattern: `^(?:${NAMESPACE_PATTERN.slice(1, -1)})?$`,
  description: 'Name of a namespace: 1–16 of a–z, 0–9 and "-", starting with a letter; "" is the default namespace (rooms without a prefix).',
})

export const NamespaceLimits = Type.Object(
  {
    maxTextChars: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TEXT_CHARS, description: 'Longest chat text in the rooms of this namespace (at most the protocol limit).' })),
    slowModeMs: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 86_400_000, description: 'Least time between two messages of one user in one room; sooner gets `rate-limited` with `retryAfterMs`.' }),
    ),
  },
  { additionalProperties: false, description: 'Limits of the rooms of a namespace, on top of the connection limits.' },
)
export type NamespaceLimits = Type.Static<typeof NamespaceLimits>

export const Namespace = Type.Object(
  {
    name: NamespaceName,
    description: Type.String({ maxLength: 200, description: 'What the namespace is for, for people.' }),
    create: Type.Union([Type.Literal('anyone'), Type.Literal('registered'), Type.Literal('nobody')], {
      description: 'Who may create a room by joining a new name: anyone, registered users only, or nobody (rooms come from the operator).',
    }),
    post: Type.Union([Type.Literal('members'), Type.Literal('moderators')], { description: 'Who may post: every member, or only owners and moderators ("publishers").' }),
    visibility: Type.Union([Type.Literal('public'), Type.Literal('private')], {
      description: 'Visibility of new rooms: public (anyone joins, listed in the directory) or private (by invitation, not listed).',
    }),
    historyDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()], {
      description: "How long messages are kept, in days; null: forever. Older ones leave the room's history, the oldest first (§7).",
    }),
    limits: NamespaceLimits,
  },
  { additionalProperties: false, description: 'A namespace and its rules.' },
)
export type Namespace = Type.Static<typeof Namespace>
