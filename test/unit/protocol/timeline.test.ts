// The stream reducer (protocol/timeline.ts): what each event does, the rev
// guard, and the property the whole design rests on — a client that joins,
// resumes or pages history at any point ends where a client that saw every
// entry ends, which is where the server's snapshots are. The server side is a
// model written from the store contract (server/store/store.ts, EventInput),
// not from the reducer, so the two are checked against each other.
import t from 'tap'
import { DELETED_TEXT, MAX_REACTION_USERS, type ChatMessage, type Reaction, type RoomEvent } from '../../../protocol/primitives.ts'
import { applyEntry, applyEvent, timelineLines, type Timeline } from '../../../protocol/timeline.ts'

const TS = 1767225600000
const msg = (seq: number, fields: Partial<ChatMessage> = {}): ChatMessage => ({ msgId: `m${seq}`, room: 'lobby', seq, userId: 'u_ana', name: 'ana', text: `line ${seq}`, ts: TS + seq, ...fields })
const ev = (seq: number, event: RoomEvent, fields: Partial<ChatMessage> = {}): ChatMessage => msg(seq, { text: `event ${seq}`, event, ...fields })
const reduce = (entries: ChatMessage[], timeline: Timeline = new Map()): Timeline => {
  for (const e of entries) applyEntry(timeline, e)
  return timeline
}

t.test('an edit replaces the text, marks it edited at the entry time and sets rev', async (t) => {
  const next = applyEvent(msg(1), ev(2, { kind: 'edit', target: 1 }, { text: 'fixed' }))
  t.same(next, { ...msg(1), text: 'fixed', edited: TS + 2, rev: 2 })
})

t.test('a delete leaves a tombstone: text gone, reactions, mentions, reply and edited mark gone', async (t) => {
  const full = msg(3, {
    text: 'x',
    edited: TS,
    mentions: ['u_bob'],
    replyTo: { msgId: 'm1', seq: 1, userId: 'u_bob', name: 'bob', excerpt: 'hi' },
    reactions: [{ emoji: '👍', count: 1, users: ['u_bob'] }],
    rev: 4,
  })
  const next = applyEvent(full, ev(5, { kind: 'delete', target: 3 }, { userId: 'u_bob' }))
  t.same(next, { msgId: 'm3', room: 'lobby', seq: 3, userId: 'u_ana', name: 'ana', text: DELETED_TEXT, ts: TS + 3, deleted: true, rev: 5 })
  t.equal(applyEvent(next, ev(6, { kind: 'edit', target: 3 }, { text: 'back?' })).text, DELETED_TEXT, 'an edit after the delete changes no text')
})

t.test('reactions: groups in the order they began, users in the order they reacted, counts', async (t) => {
  const react = (seq: number, userId: string, emoji: string, on = true) => ev(seq, { kind: 'react', target: 1, emoji, on }, { userId })
  const timeline = reduce([msg(1), react(2, 'a', '👍'), react(3, 'b', '❤️'), react(4, 'c', '👍'), react(5, 'a', '👍', false)])
  t.same(
    timeline.get(1)!.reactions,
    [
      { emoji: '👍', count: 1, users: ['c'] },
      { emoji: '❤️', count: 1, users: ['b'] },
    ],
    'a group keeps its place while it has a user, even when its first user leaves',
  )
  reduce([react(6, 'c', '👍', false), react(7, 'd', '👍')], timeline)
  t.same(
    timeline.get(1)!.reactions!.map((r) => r.emoji),
    ['❤️', '👍'],
    'a group that emptied begins again last',
  )
  reduce([react(8, 'b', '❤️', false), react(9, 'd', '👍', false)], timeline)
  t.notOk('reactions' in timeline.get(1)!, 'no reactions: the field is absent')
  t.equal(timeline.get(1)!.rev, 9)
})

t.test(`past ${MAX_REACTION_USERS} users only the count moves`, async (t) => {
  const users = Array.from({ length: MAX_REACTION_USERS }, (_, i) => `u${i}`)
  const full = msg(1, { reactions: [{ emoji: '👍', count: MAX_REACTION_USERS, users }] })
  const more = applyEvent(full, ev(2, { kind: 'react', target: 1, emoji: '👍', on: true }, { userId: 'late' }))
  t.same(more.reactions, [{ emoji: '👍', count: MAX_REACTION_USERS + 1, users }])
  const less = applyEvent(more, ev(3, { kind: 'react', target: 1, emoji: '👍', on: false }, { userId: 'late' }))
  t.same(less.reactions, [{ emoji: '👍', count: MAX_REACTION_USERS, users }])
})

t.test('the rev guard: an event at or below the snapshot rev is skipped', async (t) => {
  const snapshot = msg(1, { text: 'second edit', edited: TS + 5, rev: 5 })
  t.equal(applyEvent(snapshot, ev(3, { kind: 'edit', target: 1 }, { text: 'first edit' })), snapshot, 'older edit: the same object')
  t.equal(applyEvent(snapshot, ev(5, { kind: 'edit', target: 1 }, { text: 'second edit' })), snapshot, 'the rev itself')
  t.equal(applyEvent(snapshot, ev(6, { kind: 'delete', target: 1 })).deleted, true, 'a newer event applies')
  t.equal(applyEvent(snapshot, ev(7, { kind: 'edit', target: 2 })), snapshot, 'an event of another target changes nothing')
})

t.test('an older copy of a message does not replace a newer one', async (t) => {
  const timeline = reduce([msg(1), ev(2, { kind: 'edit', target: 1 }, { text: 'new' })])
  t.same(applyEntry(timeline, msg(1)), [], 'the live copy has rev 2, the stale one none')
  t.equal(timeline.get(1)!.text, 'new')
  t.same(applyEntry(timeline, msg(1, { text: 'newer', edited: TS, rev: 3 })), [1], 'a newer snapshot does')
})

t.test('deleting a message drops the excerpt of replies to it, held or arriving later', async (t) => {
  const reply = msg(2, { userId: 'u_bob', replyTo: { msgId: 'm1', seq: 1, userId: 'u_ana', name: 'ana', excerpt: 'line 1' } })
  const timeline = reduce([msg(1), reply])
  t.same(applyEntry(timeline, ev(3, { kind: 'delete', target: 1 })), [1, 2])
  t.same(timeline.get(2)!.replyTo, { msgId: 'm1', seq: 1, userId: 'u_ana', name: 'ana' })
  reduce([msg(4, { replyTo: { msgId: 'm1', seq: 1, userId: 'u_ana', name: 'ana', excerpt: 'line 1' } })], timeline)
  t.notOk('excerpt' in timeline.get(4)!.replyTo!, 'a stale copy of another reply loses it too')
})

t.test('an event whose target is not held waits for it; moderation events are lines', async (t) => {
  const timeline = reduce([ev(5, { kind: 'edit', target: 2 }, { text: 'edited early' }), ev(6, { kind: 'ban', userId: 'u_bob', name: 'bob', until: TS })])
  t.same(
    timelineLines(timeline).map((e) => e.seq),
    [6],
    'the waiting edit is not a line; the ban is',
  )
  // A page of older history read before the edit was applied (its copy of 2 has no rev).
  reduce([msg(1), msg(2)], timeline)
  t.equal(timeline.get(2)!.text, 'edited early', 'the waiting edit applied to its target')
  t.same(
    timelineLines(timeline).map((e) => e.seq),
    [1, 2, 6],
  )
})

// ---- the property ---------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

interface RowState {
  base: ChatMessage
  text: string
  edited?: number
  deleted?: boolean
  rev?: number
  excerpt?: string
  /** (emoji, user) pairs with the seq of the react entry and of the group's beginning, as the stores keep them. */
  reactions: Array<{ emoji: string; userId: string; addedSeq: number; groupSeq: number }>
}

/**
 * The server as the store contract describes it: entries appended with the
 * room's next seq, events applied in the same step, snapshots built from the
 * rows. An edit entry's text is wiped when its target is deleted.
 */
class StoreModel {
  readonly entries: ChatMessage[] = []
  readonly rows = new Map<number, RowState>()

  get head(): number {
    return this.entries.length
  }

  append(entry: ChatMessage): void {
    this.entries.push(entry)
    if (entry.event === undefined) {
      const row: RowState = { base: entry, text: entry.text, reactions: [] }
      if (entry.replyTo?.excerpt !== undefined) row.excerpt = entry.replyTo.excerpt
      this.rows.set(entry.seq, row)
      return
    }
    if (!('target' in entry.event)) return
    const row = this.rows.get(entry.event.target)!
    row.rev = entry.seq
    switch (entry.event.kind) {
      case 'edit':
        row.text = entry.text
        row.edited = entry.ts
        return
      case 'delete':
        row.deleted = true
        row.text = DELETED_TEXT
        row.reactions = []
        delete row.edited
        for (const other of this.rows.values()) if (other.base.replyTo?.seq === entry.event.target) delete other.excerpt
        for (const [i, e] of this.entries.entries()) if (e.event?.kind === 'edit' && e.event.target === entry.event.target) this.entries[i] = { ...e, text: DELETED_TEXT }
        return
      case 'react': {
        const { emoji, on } = entry.event
        if (on) {
          const group = row.reactions.find((r) => r.emoji === emoji)
          row.reactions.push({ emoji, userId: entry.userId, addedSeq: entry.seq, groupSeq: group?.groupSeq ?? entry.seq })
        } else {
          row.reactions = row.reactions.filter((r) => !(r.emoji === emoji && r.userId === entry.userId))
        }
      }
    }
  }

  /** The entry at `seq` as history serves it now. */
  snapshot(seq: number): ChatMessage {
    const row = this.rows.get(seq)
    if (row === undefined) return this.entries[seq - 1]!
    const { base } = row
    const out: ChatMessage = { msgId: base.msgId, room: base.room, seq, userId: base.userId, name: base.name, text: row.text, ts: base.ts }
    if (base.clientMsgId !== undefined) out.clientMsgId = base.clientMsgId
    if (!row.deleted) {
      if (base.replyTo !== undefined) {
        const { excerpt: _, ...ref } = base.replyTo
        out.replyTo = row.excerpt === undefined ? ref : { ...ref, excerpt: row.excerpt }
      }
      if (base.mentions !== undefined) out.mentions = base.mentions
      if (row.edited !== undefined) out.edited = row.edited
      const groups = new Map<string, Reaction & { first: number }>()
      for (const r of [...row.reactions].sort((a, b) => a.groupSeq - b.groupSeq || a.addedSeq - b.addedSeq)) {
        const g = groups.get(r.emoji) ?? { emoji: r.emoji, count: 0, users: [], first: r.groupSeq }
        g.count++
        g.users.push(r.userId)
        groups.set(r.emoji, g)
      }
      if (groups.size > 0) out.reactions = [...groups.values()].map(({ first: _, ...g }) => g)
    } else {
      out.deleted = true
    }
    if (row.rev !== undefined) out.rev = row.rev
    return out
  }

  /** History: the entries with seq in [from, to], as served now. */
  page(from: number, to: number): ChatMessage[] {
    const out: ChatMessage[] = []
    for (let seq = Math.max(1, from); seq <= Math.min(to, this.head); seq++) out.push(this.snapshot(seq))
    return out
  }
}

const USERS = ['u_ana', 'u_bob', 'u_cy', 'u_dee']
const EMOJI = ['👍', '❤️', '😂', '🎉', '👀']

/**
 * A random stream of `count` entries: the states each server snapshot would
 * show after every entry, and the pushes as members got them. Only changes
 * the store accepts are appended (no repeat reaction, no edit of a deleted
 * message …), as the server does.
 */
function randomStream(seed: number, count: number): { pushes: ChatMessage[]; states: StoreModel[] } {
  const random = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const model = new StoreModel()
  const pushes: ChatMessage[] = []
  const states: StoreModel[] = []
  const live = () => [...model.rows.values()].filter((r) => !r.deleted)
  // Replays of the model up to a point: each state is an independent model.
  const record = () => {
    const copy = new StoreModel()
    for (const e of pushes) copy.append(e)
    states.push(copy)
  }
  while (pushes.length < count) {
    const seq = model.head + 1
    const ts = TS + seq * 1000
    const user = pick(USERS)
    const roll = random()
    const targets = live()
    let entry: ChatMessage | undefined
    if (roll < 0.3 || targets.length === 0) {
      entry = { msgId: `m${seq}`, room: 'lobby', seq, userId: user, name: user.slice(2), text: `message ${seq}`, ts }
      if (targets.length > 0 && random() < 0.4) {
        const original = pick(targets)
        entry.replyTo = { msgId: original.base.msgId, seq: original.base.seq, userId: original.base.userId, name: original.base.name, excerpt: original.text.slice(0, 120) }
        entry.mentions = [original.base.userId]
      }
    } else if (roll < 0.45) {
      const target = pick(targets)
      entry = {
        msgId: `m${seq}`,
        room: 'lobby',
        seq,
        userId: target.base.userId,
        name: target.base.name,
        text: `edit ${seq} of ${target.base.seq}`,
        ts,
        event: { kind: 'edit', target: target.base.seq },
      }
    } else if (roll < 0.55) {
      const target = pick(targets)
      entry = { msgId: `m${seq}`, room: 'lobby', seq, userId: user, name: user.slice(2), text: 'deleted a message', ts, event: { kind: 'delete', target: target.base.seq } }
    } else if (roll < 0.93) {
      const target = pick(targets)
      const emoji = pick(EMOJI)
      const has = target.reactions.some((r) => r.emoji === emoji && r.userId === user)
      entry = {
        msgId: `m${seq}`,
        room: 'lobby',
        seq,
        userId: user,
        name: user.slice(2),
        text: `${has ? 'took back' : 'reacted'} ${emoji}`,
        ts,
        event: { kind: 'react', target: target.base.seq, emoji, on: !has },
      }
    } else {
      const kind = pick(['kick', 'ban', 'mute', 'unban', 'unmute'] as const)
      entry = { msgId: `m${seq}`, room: 'lobby', seq, userId: 'u_ana', name: 'ana', text: `${kind} dee`, ts, event: { kind, userId: 'u_dee', name: 'dee' } }
    }
    model.append(entry)
    pushes.push(entry)
    record()
  }
  return { pushes, states }
}

/** The room as a timeline shows it: every line, oldest first. */
const lines = (timeline: Timeline) => timelineLines(timeline)
/** The room as the server's final snapshots show it: messages as they are now, moderation events as appended. */
const finalLines = (model: StoreModel) => model.page(1, model.head).filter((e) => e.event === undefined || !('target' in e.event))

const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i * 7919)
const COUNT = 80

t.test('reducing every push from empty gives the server’s final snapshots', async (t) => {
  for (const seed of SEEDS) {
    const { pushes, states } = randomStream(seed, COUNT)
    t.same(lines(reduce(pushes)), finalLines(states.at(-1)!), `seed ${seed}`)
  }
})

t.test('joining at any point (a snapshot with history) and reducing the pushes after it gives the same', async (t) => {
  for (const seed of SEEDS) {
    const { pushes, states } = randomStream(seed, COUNT)
    const final = finalLines(states.at(-1)!)
    for (const s of [1, 7, 20, 41, 60, 79, COUNT]) {
      const atJoin = states[s - 1]!
      const timeline = reduce([...atJoin.page(1, s), ...pushes.slice(s)])
      t.same(lines(timeline), final, `seed ${seed}, joined at ${s}`)
    }
  }
})

t.test('paging older history after joining late — pages served now, with events below their rev — gives the same', async (t) => {
  for (const seed of SEEDS) {
    const { pushes, states } = randomStream(seed, COUNT)
    const final = finalLines(states.at(-1)!)
    const now = states.at(-1)!
    for (const s of [10, 35, 70]) {
      // Joined at s with the newest 5 entries, stayed online, then pages back 10 at a time.
      const timeline = reduce([...states[s - 1]!.page(s - 4, s), ...pushes.slice(s)])
      for (let top = s - 5; top >= 1; top -= 10) reduce(now.page(top - 9, top), timeline)
      t.same(lines(timeline), final, `seed ${seed}, joined at ${s}`)
    }
  }
})

t.test('a history page read before some events and delivered after them (the race) gives the same', async (t) => {
  for (const seed of SEEDS) {
    const { pushes, states } = randomStream(seed, COUNT)
    const final = finalLines(states.at(-1)!)
    for (const [s, read] of [
      [40, 55],
      [60, 61],
      [20, 79],
    ] as const) {
      // Joined at s (newest 5), online; the older page is read at `read`, after the pushes up to `read`… but it arrives after every push.
      const timeline = reduce([...states[s - 1]!.page(s - 4, s), ...pushes.slice(s)])
      reduce(states[read - 1]!.page(1, s - 5), timeline)
      t.same(lines(timeline), final, `seed ${seed}, joined at ${s}, older page read at ${read}`)
    }
  }
})

t.test('a resume that replays entries already held (a duplicate delivery) changes nothing', async (t) => {
  for (const seed of SEEDS.slice(0, 10)) {
    const { pushes, states } = randomStream(seed, COUNT)
    const timeline = reduce(pushes)
    reduce(pushes.slice(30), timeline)
    t.same(lines(timeline), finalLines(states.at(-1)!), `seed ${seed}`)
  }
})
