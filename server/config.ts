// Typed configuration: every limit named, with its unit and default, read
// from environment variables. Invalid values stop the server at start.
import Type from 'typebox'
import { Compile } from 'typebox/compile'
import { MAX_NAME_CHARS, MAX_TEXT_CHARS } from '@wirechat/protocol'

const Int = (min: number, description: string) => Type.Integer({ minimum: min, description })

export const Config = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, description: 'TCP port (PORT). 0 picks a free one.' }),
    host: Type.String({ description: 'Address to listen on (HOST).' }),
    logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], {
      description: 'Log level (LOG_LEVEL).',
    }),
    dataDir: Type.String({ description: 'Folder of the SQLite history file (DATA_DIR).' }),
    store: Type.Union([Type.Literal('sqlite'), Type.Literal('memory')], { description: 'History store (STORE): sqlite (default, durable) or memory (lost on restart).' }),
    sqliteSynchronous: Type.Union([Type.Literal('full'), Type.Literal('normal')], {
      description:
        'SQLite durability (SQLITE_SYNCHRONOUS): full (default) fsyncs every commit, so an acknowledged message survives a power loss; normal fsyncs only at checkpoints (survives a process crash, not a power loss; cheaper per message).',
    }),
    commitDelayMs: Int(
      0,
      'SQLite group commit delay (COMMIT_DELAY_MS): while writes arrive fast enough that another is expected within it, a batch waits up to this long so more writes share one transaction and flush (at low load it commits at once). Trades a little acknowledgement latency for CPU per message; 0 never waits.',
    ),
    commitBatch: Int(1, 'A batch waiting for company (COMMIT_DELAY_MS, COMMIT_TURNS) commits as soon as it has this many writes (COMMIT_BATCH).'),
    commitTurns: Int(
      0,
      'Turns of the event loop a SQLite batch may wait while writes keep arriving, when it waits for no timer (COMMIT_TURNS): the first always, more while the last brought writes. No sleep, so almost no added latency; 0 commits on the next turn.',
    ),
    heartbeatMs: Int(10, 'WebSocket ping interval; a peer missing one pong is terminated (HEARTBEAT_MS).'),
    loginTimeoutMs: Int(10, 'Close with 4001 when no login succeeds this long after connecting (LOGIN_TIMEOUT_MS).'),
    maxFrameBytes: Int(256, 'Largest WebSocket message accepted; larger closes with 1009 (MAX_FRAME_BYTES).'),
    maxRooms: Int(1, 'Rooms one connection may be in (MAX_ROOMS).'),
    messagesPerSecond: Type.Number({ minimum: 0.01, description: 'Request rate per connection, token bucket refill (RATE_PER_SECOND).' }),
    messageBurst: Int(1, 'Token bucket size (RATE_BURST).'),
    abuseStrikes: Int(1, 'Refused requests (rate-limited or malformed) within one 60-second window before close 4008 (ABUSE_STRIKES).'),
    joinsPerSecond: Type.Number({ minimum: 0.01, description: 'join-room requests per connection, own token bucket refill, on top of the general one (JOIN_RATE_PER_SECOND).' }),
    joinBurst: Int(1, 'join-room token bucket size (JOIN_BURST).'),
    typingPerSecond: Type.Number({ minimum: 0.01, description: 'typing requests per connection, own token bucket refill, on top of the general one (TYPING_RATE_PER_SECOND).' }),
    typingBurst: Int(1, 'typing token bucket size (TYPING_BURST).'),
    maxFragments: Int(1, 'Most WebSocket frames one message may be split into; more closes with 1008 (MAX_FRAGMENTS).'),
    typingTtlMs: Int(10, 'Typing indicator lifetime without refresh (TYPING_TTL_MS).'),
    historyPageMax: Int(1, 'Most messages per history page and join snapshot (HISTORY_PAGE_MAX).'),
    maxReplay: Int(1, 'Most messages replayed on resume; a larger gap answers too-far-behind (MAX_REPLAY).'),
    maxBufferedBytes: Int(1024, 'Outgoing bytes queued for one connection before it is closed as a slow consumer with 4100 (MAX_BUFFERED_BYTES).'),
    maxConnections: Int(1, 'Open WebSocket connections in total; more get HTTP 503 (MAX_CONNECTIONS).'),
    maxConnectionsPerIp: Int(1, 'Open connections per client address; more get HTTP 429 (MAX_CONNECTIONS_PER_IP).'),
    allowedOrigins: Type.Array(Type.String(), {
      description:
        'Origins allowed to open a socket (ALLOWED_ORIGINS, comma-separated; "*" allows any). Empty: the server\'s own origin only. Requests without Origin (non-browser clients) are allowed.',
    }),
    trustProxy: Type.Boolean({
      description:
        'The server is reached only through a reverse proxy that sets X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-For (TRUST_PROXY, true or false): the own origin is then the forwarded scheme and host, and the client address the forwarded one. Off: these headers are ignored.',
    }),
    redisUrl: Type.String({ description: 'Redis URL (REDIS_URL): room fan-out, presence and typing go through Redis pub/sub so several processes act as one chat. Empty: single process.' }),
    databaseUrl: Type.String({ description: 'PostgreSQL URL (DATABASE_URL): history on PostgreSQL, shared by every node. Empty: the embedded store (STORE).' }),
    databaseSchema: Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$', description: 'PostgreSQL schema of the tables (DATABASE_SCHEMA).' }),
    clusterPrefix: Type.String({ maxLength: 64, description: 'Prefix of every Redis key and channel, to share one Redis between deployments (CLUSTER_PREFIX).' }),
    nodeId: Type.String({ maxLength: 64, pattern: '^[\\x21-\\x7E]*$', description: "This process's id in the cluster (NODE_ID). Empty: random per start." }),
    presenceTtlMs: Int(100, "A node that stops refreshing its heartbeat for this long is presumed dead; its users' presence expires within 1.5 × this (PRESENCE_TTL_MS)."),
    gapTimeoutMs: Int(1, 'How long a node waits for a missing seq from the broker before reading it from the store (GAP_TIMEOUT_MS).'),
    shutdownGraceMs: Int(0, 'Time given to in-flight work on shutdown (SHUTDOWN_GRACE_MS).'),
    sessionTtlMs: Int(1_000, 'A session key stops logging in this long after its last use (sliding expiry) (SESSION_TTL_MS).'),
    housekeepingMs: Int(
      1_000,
      "How often housekeeping runs (HOUSEKEEPING_MS): messages older than their namespace's historyDays are removed, and rows of sessions that ended more than ENDED_SESSION_KEEP_MS ago. The first run is a minute after start (or sooner when this is shorter).",
    ),
    endedSessionKeepMs: Int(0, 'How long the row of an expired or revoked session is kept before housekeeping deletes it (ENDED_SESSION_KEEP_MS); each user keeps their newest row.'),
    scryptCost: Type.Integer({
      minimum: 10,
      maximum: 20,
      description: 'Password hashing cost as log2 of the scrypt N parameter (SCRYPT_COST): 15 uses 32 MiB and some 50–100 ms per hash. Keep it at 14 or more in production; 10 is for tests.',
    }),
    loginFailuresPerAccount: Int(1, 'Failed password logins per registered name within LOGIN_FAILURE_WINDOW_MS before `rate-limited`, per node (LOGIN_FAILURES_PER_ACCOUNT).'),
    loginFailuresPerAddress: Int(1, 'Failed password logins per client address within LOGIN_FAILURE_WINDOW_MS before `rate-limited`, per node (LOGIN_FAILURES_PER_ADDRESS).'),
    loginFailureWindowMs: Int(1_000, 'Window in which failed password logins are counted (LOGIN_FAILURE_WINDOW_MS).'),
    namespacesFile: Type.String({
      description: 'JSON file of the namespaces and their rules (NAMESPACES_FILE; see docs/namespaces.example.json). Empty: one default namespace where anyone creates public rooms and posts.',
    }),
    jwtSecret: Type.Optional(
      Type.String({ minLength: 32, description: 'HS256 secret (at least 32 characters); when set, login must carry a token signed with it (JWT_SECRET). Exclusive with JWT_PUBLIC_KEY.' }),
    ),
    jwtPublicKey: Type.Optional(
      Type.String({ minLength: 1, description: 'PEM public key (RSA for RS256, P-256 EC for ES256); when set, login must carry a token signed with its private key (JWT_PUBLIC_KEY).' }),
    ),
    jwtIssuer: Type.Optional(Type.String({ minLength: 1, description: 'Required `iss` claim of tokens, when set (JWT_ISSUER).' })),
    jwtAudience: Type.Optional(Type.String({ minLength: 1, description: 'Required `aud` claim of tokens, when set (JWT_AUDIENCE).' })),
    deterministicSeed: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 4294967295,
        description:
          'Deterministic mode for servers under test (DETERMINISTIC_SEED, an integer 0–4294967295): names, ids, session keys and the epoch come from a generator seeded with it, and the clock stands at 2023-11-14T22:13:20Z until advanced through POST /_test/clock (docs/conformance.md). Session keys become predictable: refused when NODE_ENV=production. Unset (the default): real randomness and time.',
      }),
    ),
    adminToken: Type.Optional(
      Type.String({
        minLength: 32,
        maxLength: 256,
        pattern: '^[\\x21-\\x7E]+$',
        description:
          'Bearer token of the admin HTTP API under /admin (ADMIN_TOKEN): at least 32 printable ASCII characters, e.g. `openssl rand -base64 32`. Unset (the default): the admin API does not exist (404).',
      }),
    ),
  },
  { additionalProperties: false },
)
export type Config = Type.Static<typeof Config>

export const defaultConfig: Config = {
  port: 3000,
  host: '127.0.0.1',
  logLevel: 'info',
  dataDir: './data',
  store: 'sqlite',
  sqliteSynchronous: 'full',
  commitDelayMs: 0,
  commitBatch: 16,
  commitTurns: 4,
  heartbeatMs: 30_000,
  loginTimeoutMs: 10_000,
  maxFrameBytes: 32 * 1024,
  maxRooms: 50,
  messagesPerSecond: 10,
  messageBurst: 20,
  abuseStrikes: 50,
  joinsPerSecond: 1,
  joinBurst: 10,
  typingPerSecond: 2,
  typingBurst: 6,
  maxFragments: 64,
  typingTtlMs: 5_000,
  historyPageMax: 100,
  maxReplay: 1_000,
  maxBufferedBytes: 1024 * 1024,
  maxConnections: 20_000,
  maxConnectionsPerIp: 100,
  allowedOrigins: [],
  trustProxy: false,
  redisUrl: '',
  databaseUrl: '',
  databaseSchema: 'public',
  clusterPrefix: 'wirechat:',
  nodeId: '',
  presenceTtlMs: 10_000,
  gapTimeoutMs: 250,
  shutdownGraceMs: 2_000,
  sessionTtlMs: 30 * 24 * 60 * 60 * 1000,
  housekeepingMs: 60 * 60 * 1000,
  endedSessionKeepMs: 30 * 24 * 60 * 60 * 1000,
  scryptCost: 15,
  loginFailuresPerAccount: 5,
  loginFailuresPerAddress: 20,
  loginFailureWindowMs: 15 * 60 * 1000,
  namespacesFile: '',
  // MAX_TEXT_CHARS and MAX_NAME_CHARS are protocol constants, not settings.
}

const ENV: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  logLevel: 'LOG_LEVEL',
  dataDir: 'DATA_DIR',
  store: 'STORE',
  sqliteSynchronous: 'SQLITE_SYNCHRONOUS',
  commitDelayMs: 'COMMIT_DELAY_MS',
  commitBatch: 'COMMIT_BATCH',
  commitTurns: 'COMMIT_TURNS',
  heartbeatMs: 'HEARTBEAT_MS',
  loginTimeoutMs: 'LOGIN_TIMEOUT_MS',
  maxFrameBytes: 'MAX_FRAME_BYTES',
  maxRooms: 'MAX_ROOMS',
  messagesPerSecond: 'RATE_PER_SECOND',
  messageBurst: 'RATE_BURST',
  abuseStrikes: 'ABUSE_STRIKES',
  typingTtlMs: 'TYPING_TTL_MS',
  historyPageMax: 'HISTORY_PAGE_MAX',
  maxReplay: 'MAX_REPLAY',
  maxBufferedBytes: 'MAX_BUFFERED_BYTES',
  maxConnections: 'MAX_CONNECTIONS',
  maxConnectionsPerIp: 'MAX_CONNECTIONS_PER_IP',
  allowedOrigins: 'ALLOWED_ORIGINS',
  trustProxy: 'TRUST_PROXY',
  redisUrl: 'REDIS_URL',
  databaseUrl: 'DATABASE_URL',
  databaseSchema: 'DATABASE_SCHEMA',
  clusterPrefix: 'CLUSTER_PREFIX',
  nodeId: 'NODE_ID',
  presenceTtlMs: 'PRESENCE_TTL_MS',
  gapTimeoutMs: 'GAP_TIMEOUT_MS',
  shutdownGraceMs: 'SHUTDOWN_GRACE_MS',
  joinsPerSecond: 'JOIN_RATE_PER_SECOND',
  joinBurst: 'JOIN_BURST',
  typingPerSecond: 'TYPING_RATE_PER_SECOND',
  typingBurst: 'TYPING_BURST',
  maxFragments: 'MAX_FRAGMENTS',
  sessionTtlMs: 'SESSION_TTL_MS',
  housekeepingMs: 'HOUSEKEEPING_MS',
  endedSessionKeepMs: 'ENDED_SESSION_KEEP_MS',
  scryptCost: 'SCRYPT_COST',
  loginFailuresPerAccount: 'LOGIN_FAILURES_PER_ACCOUNT',
  loginFailuresPerAddress: 'LOGIN_FAILURES_PER_ADDRESS',
  loginFailureWindowMs: 'LOGIN_FAILURE_WINDOW_MS',
  namespacesFile: 'NAMESPACES_FILE',
  jwtSecret: 'JWT_SECRET',
  jwtPublicKey: 'JWT_PUBLIC_KEY',
  jwtIssuer: 'JWT_ISSUER',
  jwtAudience: 'JWT_AUDIENCE',
  adminToken: 'ADMIN_TOKEN',
  deterministicSeed: 'DETERMINISTIC_SEED',
}

/** Environment variable of each setting, for docs and errors. */
export const configEnvNames = ENV

const checkConfig = Compile(Config)

/** Settings without a default (so no type to read from it) whose variable holds a number. */
const OPTIONAL_NUMBERS = new Set<string>(['deterministicSeed'])

/** Merges overrides and environment variables over the defaults; throws on an invalid value. */
export function loadConfig(env: NodeJS.ProcessEnv = {}, overrides: Partial<Config> = {}): Config {
  const merged: Record<string, unknown> = { ...defaultConfig }
  for (const [key, name] of Object.entries(ENV)) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    const current = (defaultConfig as Record<string, unknown>)[key]
    merged[key] = Array.isArray(current)
      ? raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : typeof current === 'number' || OPTIONAL_NUMBERS.has(key)
        ? Number(raw)
        : // Only the exact words: "yes" or "1" stay strings and fail the check, naming the variable.
          typeof current === 'boolean' && (raw === 'true' || raw === 'false')
          ? raw === 'true'
          : raw
  }
  Object.assign(merged, overrides)
  if (!checkConfig.Check(merged)) {
    const problems = checkConfig.Errors(merged).map((e) => {
      const key = e.instancePath.split('/')[1] as keyof Config | undefined
      return `${key ? ENV[key] : e.instancePath}: ${e.message}`
    })
    throw new Error(`Invalid configuration: ${problems.join('; ')}`)
  }
  if (merged.jwtSecret !== undefined && merged.jwtPublicKey !== undefined) {
    throw new Error('Invalid configuration: set JWT_SECRET or JWT_PUBLIC_KEY, not both')
  }
  // Predictable session keys and a clock anyone may move have no place in production.
  if (merged.deterministicSeed !== undefined && env.NODE_ENV === 'production') {
    throw new Error('Invalid configuration: DETERMINISTIC_SEED is for servers under test and is refused when NODE_ENV=production')
  }
  return merged as Config
}

/** Limits the welcome frame announces. */
export function announcedLimits(config: Config) {
  return {
    maxFrameBytes: config.maxFrameBytes,
    maxTextChars: MAX_TEXT_CHARS,
    maxNameChars: MAX_NAME_CHARS,
    maxRooms: config.maxRooms,
    messagesPerSecond: config.messagesPerSecond,
    messageBurst: config.messageBurst,
    historyPageMax: config.historyPageMax,
    typingTtlMs: config.typingTtlMs,
    joinsPerSecond: config.joinsPerSecond,
    joinBurst: config.joinBurst,
    typingPerSecond: config.typingPerSecond,
    typingBurst: config.typingBurst,
    maxFragments: config.maxFragments,
  }
}
