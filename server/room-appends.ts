// Chats of one room that arrive while an append to it is under way wait
// together, and go to the store as one call when their turn comes: one
// transaction (and, on PostgreSQL, one bump of the room's head under one row
// lock) for all of them, instead of one each. Their seqs follow their order
// of arrival, and each chat's continuation (its reply and its publish) runs
// in that order inside the room's serial turn, so a room's messages are still
// published in seq order. A chat that finds the room idle goes at once, alone:
// batching costs nothing at low load and only forms when chats queue anyway.
import type { AppendOutcome, ChatInput, HistoryStore } from './store/store.ts'

/** Most chats in one store call: bounds the statement and a slow batch's wait. */
export const MAX_CHAT_BATCH = 64

interface Waiting {
  input: ChatInput
  then: (outcome: AppendOutcome) => Promise<void>
  resolve: () => void
  reject: (err: unknown) => void
}

export class RoomAppends {
  readonly #store: Pick<HistoryStore, 'appendChats'>
  readonly #serial: (room: string, work: () => Promise<void>) => Promise<void>
  /** Per room: the batch that has not started yet (new chats join it). */
  readonly #open = new Map<string, Waiting[]>()

  constructor(store: Pick<HistoryStore, 'appendChats'>, serial: (room: string, work: () => Promise<void>) => Promise<void>) {
    this.#store = store
    this.#serial = serial
  }

  /** Appends the chat with the room's next waiting batch; `then` gets its outcome in the room's turn, in seq order. */
  append(input: ChatInput, then: (outcome: AppendOutcome) => Promise<void>): Promise<void> {
    const { room } = input
    return new Promise<void>((resolve, reject) => {
      const waiting: Waiting = { input, then, resolve, reject }
      const open = this.#open.get(room)
      if (open !== undefined && open.length < MAX_CHAT_BATCH) return void open.push(waiting)
      const batch = [waiting]
      this.#open.set(room, batch)
      void this.#serial(room, () => this.#run(room, batch))
    })
  }

  async #run(room: string, batch: Waiting[]): Promise<void> {
    // From now on, chats for the room start the next batch.
    if (this.#open.get(room) === batch) this.#open.delete(room)
    let outcomes: AppendOutcome[]
    try {
      outcomes = await this.#store.appendChats(batch.map((w) => w.input))
    } catch (error) {
      outcomes = batch.map(() => ({ ok: false as const, error }))
    }
    for (const [i, waiting] of batch.entries()) {
      try {
        await waiting.then(outcomes[i]!)
        waiting.resolve()
      } catch (err) {
        waiting.reject(err)
      }
    }
  }
}
