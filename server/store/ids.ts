// Identifiers minted by the server.
import { createHash } from 'node:crypto'
// Seeded in deterministic mode (DETERMINISTIC_SEED), node:crypto otherwise.
import { randomBytes, randomUUID } from '../determinism.ts'

/** A new message id: unique across rooms, DMs and nodes. */
export const newMessageId = (): string => randomUUID()

/** A new random token of `bytes` bytes, URL-safe. */
export const randomToken = (bytes = 18): string => randomBytes(bytes).toString('base64url')

/** Session keys are stored hashed, so a leaked database does not leak sessions. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('base64url')
