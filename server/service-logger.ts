// What the scale-out services (Redis broker and presence, PostgreSQL store) log
// through: the slice of a pino / Fastify logger they use. They never print on
// their own; pass `app.log` (or a child of it) to see connection trouble.

/** A logger for service-level events: connection lost, restored, failing. */
export interface ServiceLogger {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}
