// Optional token authentication. With JWT_SECRET (HS256) or JWT_PUBLIC_KEY
// (RS256 for an RSA key, ES256 for a P-256 key) configured, `login` must carry
// a JWT; its `sub` is the user id and its `name` (or `preferred_username`) the
// display name. Exactly one algorithm is accepted per key, so a token cannot
// pick a weaker one ("alg": "none", HS256 signed with the public key, …).
// Nothing here logs: the token and its claims never reach the logger.
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto'
import { jwtVerify } from 'jose'
import { Compile } from 'typebox/compile'
import { Name, UserId } from '@wirechat/protocol'
import type { Config } from '../config.ts'

/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
export const CLOCK_TOLERANCE_S = 5

/** Identity read from a verified token. */
export interface TokenIdentity {
  userId: string
  /** The token's display name when it is a valid protocol name (after NFC). */
  name: string | undefined
  /** When the token expires (epoch ms, from `exp`): open connections close with 4012 then. */
  expiresAt: number
}

export type VerifyResult = { ok: true; identity: TokenIdentity } | { ok: false; reason: string }

export interface TokenVerifier {
  verify(token: string): Promise<VerifyResult>
}

const checkUserId = Compile(UserId)
const checkName = Compile(Name)

// One verifier per configuration object: built (and the key checked) once.
const verifiers = new WeakMap<Config, TokenVerifier | null>()

function keyAndAlgorithm(config: Config): { key: KeyObject; algorithm: string } | undefined {
  if (config.jwtSecret !== undefined) return { key: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')), algorithm: 'HS256' }
  if (config.jwtPublicKey === undefined) return undefined
  // Environment variables often carry PEM newlines escaped as "\n".
  const key = createPublicKey(config.jwtPublicKey.replace(/\\n/g, '\n'))
  if (key.asymmetricKeyType === 'rsa') return { key, algorithm: 'RS256' }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return { key, algorithm: 'ES256' }
  throw new Error('Invalid configuration: JWT_PUBLIC_KEY must be an RSA (RS256) or P-256 EC (ES256) public key')
}

function createVerifier(config: Config): TokenVerifier | undefined {
  const found = keyAndAlgorithm(config)
  if (found === undefined) return undefined
  const { key, algorithm } = found
  const options = {
    algorithms: [algorithm],
    clockTolerance: CLOCK_TOLERANCE_S,
    // A token without an expiry would be valid forever.
    requiredClaims: ['sub', 'exp'],
    ...(config.jwtIssuer !== undefined && { issuer: config.jwtIssuer }),
    ...(config.jwtAudience !== undefined && { audience: config.jwtAudience }),
  }
  return {
    async verify(token) {
      let payload
      try {
        ;({ payload } = await jwtVerify(token, key, options))
      } catch (err) {
        // jose errors carry the claims; only the class of failure goes out.
        return { ok: false, reason: (err as { code?: string }).code ?? 'invalid' }
      }
      if (!checkUserId.Check(payload.sub)) return { ok: false, reason: 'bad-sub' }
      const claimed = typeof payload.name === 'string' ? payload.name : payload.preferred_username
      const name = typeof claimed === 'string' ? claimed.normalize('NFC') : undefined
      // `exp` is a required claim, checked by jwtVerify to be a number.
      return { ok: true, identity: { userId: payload.sub, name: name !== undefined && checkName.Check(name) ? name : undefined, expiresAt: payload.exp! * 1000 } }
    },
  }
}

/**
 * The token verifier of a configuration, or undefined when authentication is
 * off. Throws on an unusable key, so call it at start-up to fail early.
 */
export function tokenVerifier(config: Config): TokenVerifier | undefined {
  let verifier = verifiers.get(config)
  if (verifier === undefined) {
    verifier = createVerifier(config) ?? null
    verifiers.set(config, verifier)
  }
  return verifier ?? undefined
}
