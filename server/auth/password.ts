// Password hashing with scrypt (memory-hard, in node:crypto). The stored form
// carries its parameters and salt, `scrypt$N$r$p$saltB64$hashB64`, so the cost
// can be raised later without invalidating existing hashes. Runs on libuv's
// thread pool (async scrypt): a login never blocks the event loop.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const KEY_BYTES = 32
const SALT_BYTES = 16
const BLOCK_SIZE = 8
const PARALLELISM = 1
// A stored hash is data from the database: its cost is bounded before use, so a
// tampered row cannot make one verify take gigabytes.
const MAX_LOG2_COST = 20

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is exactly N=2^15, r=8, with no headroom.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r }
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))))
}

/** Hashes a password with cost 2^log2Cost. */
export async function hashPassword(password: string, log2Cost: number): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const N = 2 ** log2Cost
  const key = await derive(password, salt, N, BLOCK_SIZE, PARALLELISM)
  return `scrypt$${N}$${BLOCK_SIZE}$${PARALLELISM}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** True when the password matches the stored hash; false for a malformed hash too. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (!Number.isSafeInteger(N) || N < 2 || N > 2 ** MAX_LOG2_COST || (N & (N - 1)) !== 0) return false
  if (!Number.isSafeInteger(r) || r < 1 || r > 32 || !Number.isSafeInteger(p) || p < 1 || p > 16) return false
  const salt = Buffer.from(parts[4]!, 'base64')
  const expected = Buffer.from(parts[5]!, 'base64')
  if (salt.length === 0 || expected.length !== KEY_BYTES) return false
  const key = await derive(password, salt, N, r, p)
  return timingSafeEqual(key, expected)
}

const dummies = new Map<number, Promise<string>>()

/**
 * A hash of a random password at this cost, verified in place of an unknown
 * account's: an unknown name then costs the same time as a wrong password.
 */
export function dummyHash(log2Cost: number): Promise<string> {
  let dummy = dummies.get(log2Cost)
  if (dummy === undefined) dummies.set(log2Cost, (dummy = hashPassword(randomBytes(16).toString('base64'), log2Cost)))
  return dummy
}
