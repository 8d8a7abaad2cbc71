// Checkpoints for the SQLite store (started by sqlite-checkpoints.ts): copies what the
// WAL holds into the database file on a connection of its own, so the fsyncs
// of a checkpoint never stop the event loop. The store commits nothing while
// it runs, so PASSIVE catches up with the whole WAL, and the store's next
// commit starts the WAL over from the top.
//
// Plain JavaScript on purpose: the same file runs from the sources and from the
// built package (where tsc does not compile it), with no type stripping in the worker.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort)
const db = new Database(/** @type {{ file: string }} */ (workerData).file)
// NORMAL: a checkpoint fsyncs the WAL before copying and the file after.
db.pragma('synchronous = NORMAL')
db.pragma('busy_timeout = 5000')

port.on('message', (/** @type {string} */ msg) => {
  if (msg === 'checkpoint') {
    db.pragma('wal_checkpoint(PASSIVE)')
    port.postMessage('checkpointed')
  } else if (msg === 'close') {
    db.close()
    port.close()
  }
})
port.postMessage('ready')
