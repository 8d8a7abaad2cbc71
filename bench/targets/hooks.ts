// What every benchmark target does besides its job: announce its port on
// stdout for the orchestrator, and run a full GC on SIGUSR2 (started with
// --expose-gc) so idle memory is measured without garbage.

/** Prints the line the orchestrator waits for. */
export function announce(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`)
}

/** SIGUSR2 → global.gc(); SIGTERM/SIGINT/end of stdin → `close` then exit (so --cpu-prof is written). */
export function installHooks(close: () => Promise<void> | void): void {
  process.on('SIGUSR2', () => {
    const gc = (globalThis as { gc?: () => void }).gc
    if (gc) gc()
    else process.stderr.write('SIGUSR2: start with --expose-gc to allow a forced GC\n')
  })
  let closing = false
  const shutdown = async () => {
    if (closing) return
    closing = true
    // The load generator has closed its sockets before this; bound the rest.
    setTimeout(() => process.exit(0), 3000).unref()
    await close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown())
  process.on('SIGINT', () => void shutdown())
  // The orchestrator holds our stdin: if it dies, so do we.
  process.stdin.on('end', () => void shutdown()).resume()
}
