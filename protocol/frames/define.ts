// Frame constructors: every frame is a closed object discriminated by a
// literal `type`, with `$id`, `title` and `description` for the generated docs.
import Type, { type TObject, type TProperties, type TLiteral, type TOptional, type TString } from 'typebox'
import { RequestId } from '../primitives.ts'

type WithType<T extends string, P extends TProperties> = { type: TLiteral<T> } & P
type WithId<P extends TProperties> = { id: TOptional<TString> } & P

function closed<T extends string, P extends TProperties>(type: T, props: P, description: string) {
  return Type.Object({ type: Type.Literal(type), ...props } as WithType<T, P>, {
    $id: type,
    title: type,
    description,
    additionalProperties: false,
  })
}

/** A client request: may carry an `id` that its reply echoes. */
export function request<T extends string, P extends TProperties>(type: T, props: P, description: string): TObject<WithType<T, WithId<P>>> {
  return closed(type, { id: Type.Optional(RequestId), ...props } as WithId<P>, description)
}

/** A server reply: echoes the request `id` when there was one. */
export const reply = request

/** A server push: carries no `id`; ordering lives in its fields (room, seq). */
export function push<T extends string, P extends TProperties>(type: T, props: P, description: string): TObject<WithType<T, P>> {
  return closed(type, props, description)
}
