// The embedded default store: one SQLite file in WAL mode, owned by a worker
// thread (sqlite-worker.js). The worker commits every write that arrived
// during the previous commit in one transaction (group commit) with
// synchronous=FULL, and each promise here resolves only after that commit,
// so an acknowledgement always follows durability, while the fsync no longer
// stops this thread's event loop. Reads go to the same worker and are
// answered between transactions; see `read` in the worker for why they must
// not be served from a second connection on this thread.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ChatMessage } from '../../protocol/index.ts'
import { hashKey } from './ids.ts'
import type { Appended, AppendedDm, ChatInput, DmInput, HistoryStore, InboxPage, Page, RangeQuery, SessionRecord } from './store.ts'

export interface SqliteStoreOptions {
  /** Path of the database file. */
  file: string
  /** fsync on every commit (FULL, default) or only at checkpoints (NORMAL: survives process crashes, not power loss). */
  synchronous?: 'full' | 'normal'
  /** Wait this long after the first write of a batch before committing it, so more writes share one fsync (ms, default 0). */
  commitDelayMs?: number
}

// ---- messages between this thread and the worker ------------------------

/** Each operation of the worker (`run` and `read` there): what it takes and returns. */
interface Operations {
  // writes, batched into one transaction
  chat: { arg: ChatInput; result: Appended<ChatMessage> }
  dm: { arg: DmInput; result: AppendedDm }
  session: { arg: { keyHash: string; userId: string; name: string }; result: undefined }
  rename: { arg: { userId: string; name: string }; result: undefined }
  // reads, answered on arrival
  head: { arg: { room: string }; result: number }
  tail: { arg: { room: string }; result: number }
  range: { arg: RangeQuery & { room: string }; result: Page }
  inboxHead: { arg: { userId: string }; result: number }
  inboxRange: { arg: { userId: string; after: number; limit: number }; result: InboxPage }
  findSession: { arg: { keyHash: string }; result: SessionRecord | undefined }
  hasUser: { arg: { userId: string }; result: boolean }
}
type Op = keyof Operations
type WriteOp = 'chat' | 'dm' | 'session' | 'rename'
type ReadOp = Exclude<Op, WriteOp>
type JobMessage = [id: number, op: Op, arg: unknown]
interface ErrorInfo { message: string; code?: string | undefined }
type WorkerMessage =
  | { type: 'ready'; epoch: string }
  | { type: 'failed'; error: ErrorInfo }
  | { type: 'done'; results: Array<[id: number, ok: boolean, value: unknown]> }
  | { type: 'closed' }

interface Pending {
  resolve: (value: any) => void
  reject: (err: unknown) => void
}

function toError(info: ErrorInfo): Error {
  return Object.assign(new Error(info.message), info.code === undefined ? {} : { code: info.code })
}

const WORKER_URL = new URL('./sqlite-worker.js', import.meta.url)

export function createSqliteStore(options: SqliteStoreOptions): HistoryStore {
  let epoch = ''
  let worker: Worker | undefined
  /** Why the worker is gone, once it is. */
  let stopped: Error | undefined
  let nextId = 1
  const pending = new Map<number, Pending>()
  let outgoing: JobMessage[] = []
  let closed: (() => void) | undefined

  // Writes of one tick travel in one message; the worker adds whatever else
  // arrives before its next transaction.
  function post(): void {
    const jobs = outgoing
    outgoing = []
    if (stopped === undefined && jobs.length > 0) worker!.postMessage({ type: 'jobs', jobs })
  }

  function call<O extends Op>(op: O, arg: Operations[O]['arg']): Promise<Operations[O]['result']> {
    return new Promise((resolve, reject) => {
      if (stopped !== undefined) return reject(stopped)
      const id = nextId++
      // Referenced only while waiting, so an idle store never holds the process open.
      if (pending.size === 0) worker!.ref()
      pending.set(id, { resolve, reject })
      if (op === 'chat' || op === 'dm' || op === 'session' || op === 'rename') {
        if (outgoing.length === 0) setImmediate(post)
        outgoing.push([id, op, arg])
      } else {
        worker!.postMessage({ type: 'read', job: [id, op, arg] })
      }
    })
  }
  const read = <O extends ReadOp>(op: O, arg: Operations[O]['arg']) => call(op, arg)

  function onMessage(msg: WorkerMessage): void {
    if (msg.type === 'done') {
      for (const [id, ok, value] of msg.results) {
        const job = pending.get(id)
        if (job === undefined) continue
        pending.delete(id)
        if (ok) job.resolve(value)
        else job.reject(toError(value as ErrorInfo))
      }
      if (pending.size === 0) worker?.unref()
    } else if (msg.type === 'closed') {
      closed?.()
    }
  }

  /** The worker is gone: every call waiting for it, and every later one, fails. */
  function stop(reason: Error): void {
    stopped ??= reason
    outgoing = []
    for (const job of pending.values()) job.reject(stopped)
    pending.clear()
    closed?.()
  }

  return {
    get epoch() { return epoch },

    async open() {
      mkdirSync(dirname(options.file), { recursive: true })
      // No inherited flags: the worker is plain JavaScript and needs no loader.
      const w = new Worker(WORKER_URL, { execArgv: [], workerData: { file: options.file, synchronous: options.synchronous ?? 'full', commitDelayMs: options.commitDelayMs ?? 0 } })
      worker = w
      // The worker creates and migrates the file, then reports the epoch.
      epoch = await new Promise<string>((resolve, reject) => {
        const onEarly = (msg: WorkerMessage) => {
          if (msg.type === 'ready') settle(undefined, msg.epoch)
          else if (msg.type === 'failed') settle(toError(msg.error))
        }
        const onError = (err: Error) => settle(err)
        const onExit = (code: number) => settle(new Error(`history store worker exited (${code}) while opening`))
        function settle(err: Error | undefined, value = '') {
          w.off('message', onEarly).off('error', onError).off('exit', onExit)
          if (err) reject(err)
          else resolve(value)
        }
        w.on('message', onEarly).on('error', onError).on('exit', onExit)
      })
      w.on('message', onMessage)
      w.on('error', (err) => stop(Object.assign(new Error(`history store worker failed: ${err.message}`), { cause: err })))
      w.on('exit', (code) => stop(new Error(`history store worker exited (${code})`)))
      w.unref()
    },

    async close() {
      const w = worker
      if (w === undefined || stopped !== undefined) return
      post()
      // The worker commits what it holds, closes the file, then answers.
      await new Promise<void>((resolve) => {
        closed = resolve
        w.ref()
        w.postMessage({ type: 'close' })
      })
      stop(new Error('history store closed'))
      await w.terminate()
    },

    appendChat: (input) => call('chat', input),
    head: (room) => read('head', { room }),
    tail: (room) => read('tail', { room }),
    range: (room, query) => read('range', { ...query, room }),
    appendDm: (input) => call('dm', input),
    inboxHead: (userId) => read('inboxHead', { userId }),
    inboxRange: (userId, after, limit) => read('inboxRange', { userId, after, limit }),
    saveSession: (key, record) => call('session', { keyHash: hashKey(key), userId: record.userId, name: record.name }),
    findSession: (key) => read('findSession', { keyHash: hashKey(key) }),
    hasUser: (userId) => read('hasUser', { userId }),
    renameUser: (userId, name) => call('rename', { userId, name }),
  }
}
