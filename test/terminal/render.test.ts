// Event → printed line, and the escaping that keeps hostile text from driving the terminal.
import t from 'tap'
import type { StateChange } from '../../client/index.ts'
import * as render from '../../terminal/render.ts'

const o = { timeZone: 'UTC' }
const ts = Date.UTC(2026, 0, 1, 9, 5, 30)
const msg = (over: Record<string, unknown> = {}) => ({ msgId: 'm1', room: 'lobby', seq: 1, userId: 'u_bob', name: 'bob', text: 'hello', ts, ...over })
const dm = (over: Record<string, unknown> = {}) => ({ msgId: 'd1', from: 'u_bob', fromName: 'bob', to: 'u_ana', seq: 1, text: 'psst', ts, ...over })
const alarm = (over: Record<string, unknown> = {}) => ({ type: 'alarm' as const, room: 'lobby', kind: 'joined' as const, userId: 'u_bob', name: 'bob', text: 'bob joined', ts, ...over })
/** No escape (ESC, CSI, OSC, BEL), no other C0/C1 control, no bidi control. */
const SAFE = /^[^\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/u

t.test('sanitize turns every control character into a visible escape', async (t) => {
  const table: Array<[string, string]> = [
    ['plain text, ünïcödé, 日本語, emoji 🎉', 'plain text, ünïcödé, 日本語, emoji 🎉'],
    ['\x1b[2J\x1b[H', '\\x1B[2J\\x1B[H'], // CSI: clear screen, cursor home
    ['\x1b]0;pwned\x07', '\\x1B]0;pwned\\x07'], // OSC: window title, ended by BEL
    ['\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\', '\\x1B]8;;http://evil\\x1B\\link\\x1B]8;;\\x1B\\'], // OSC 8 hyperlink
    ['\x9b31m\x9d0;t\x9c', '\\x9B31m\\x9D0;t\\x9C'], // 8-bit CSI, OSC, ST
    ['a\rb\bc\x00d\x7f', 'a\\x0Db\\x08c\\x00d\\x7F'], // carriage return, backspace, NUL, DEL
    ['line\nbreak', 'line\\x0Abreak'],
    ['tab\there', 'tab here'],
    ['\u202egnirts\u202c \u2066x\u2069 \u200f', '\\u{202E}gnirts\\u{202C} \\u{2066}x\\u{2069} \\u{200F}'], // bidi override, isolate, mark
    ['a\u2028b', 'a\\u{2028}b'],
  ]
  for (const [input, output] of table) {
    // The name is the expected output: raw controls (U+2028 too) would break the TAP stream.
    t.equal(render.sanitize(input), output, output)
    t.match(render.sanitize(input), SAFE)
  }
})

t.test('a room message shows time, room, sender and text; own lines say (you)', async (t) => {
  t.equal(render.renderChat(msg(), false, o), '[09:05] #lobby <bob> hello')
  t.equal(render.renderChat(msg({ userId: 'u_ana', name: 'ana' }), true, o), '[09:05] #lobby <ana (you)> hello')
  t.equal(render.formatTime(ts, 'Asia/Tokyo'), '18:05')
})

t.test('a hostile message cannot move the cursor, set the title or forge a line', async (t) => {
  const hostile = msg({ name: 'bob\x1b[1A', text: 'hi\x1b]0;owned\x07\x1b[2K\r[09:05] #lobby <ana> I resign\nsecond\x1b[31m line' })
  const out = render.renderChat(hostile, false, o)
  for (const line of out.split('\n')) t.match(line, SAFE)
  const lines = out.split('\n')
  t.equal(lines.length, 2)
  t.equal(lines[0], '[09:05] #lobby <bob\\x1B[1A> hi\\x1B]0;owned\\x07\\x1B[2K\\x0D[09:05] #lobby <ana> I resign')
  t.equal(lines[1], `${render.ContinuationPrefix}second\\x1B[31m line`, 'a second line of text is indented: it cannot pass for a new message')
})

t.test('direct messages say who from, or who to', async (t) => {
  t.equal(render.renderDm(dm(), false, 'bob', o), '[09:05] [dm from bob] psst')
  t.equal(render.renderDm(dm({ from: 'u_ana', fromName: 'ana', to: 'u_bob' }), true, 'bob', o), '[09:05] [dm to bob] psst')
  t.match(render.renderDm(dm({ fromName: '\x1b]2;x\x07bob' }), false, 'x', o), SAFE)
})

t.test('alarms are system lines in our own words, set apart by --', async (t) => {
  t.equal(render.renderAlarm(alarm(), 'u_ana', o), '[09:05] #lobby -- bob joined')
  t.equal(render.renderAlarm(alarm({ kind: 'left' }), 'u_ana', o), '[09:05] #lobby -- bob left')
  t.equal(render.renderAlarm(alarm({ kind: 'renamed', name: 'rob', oldName: 'bob' }), 'u_ana', o), '[09:05] #lobby -- bob is now rob')
  t.equal(render.renderAlarm(alarm({ kind: 'renamed', userId: 'u_ana', name: 'ana.k', oldName: 'ana' }), 'u_ana', o), '[09:05] #lobby -- ana (you) is now ana.k')
  t.equal(render.renderAlarm(alarm({ text: '\x1b[2J everyone left' }), 'u_ana', o), '[09:05] #lobby -- bob joined', 'the server text is not printed')
})

t.test('typing lines name who is typing', async (t) => {
  const m = (name: string) => ({ userId: `u_${name}`, name })
  t.equal(render.renderTyping('lobby', [], o), undefined)
  t.equal(render.renderTyping('lobby', [m('bob')], o), '#lobby ~ bob is typing…')
  t.equal(render.renderTyping('dev', [m('bob'), m('cy')], o), '#dev ~ bob and cy are typing…')
  t.equal(render.renderTyping('dev', [m('a'), m('b'), m('c')], o), '#dev ~ a, b and c are typing…')
  t.equal(render.renderTyping('dev', [m('a'), m('b'), m('c'), m('d')], o), '#dev ~ 4 people are typing…')
})

t.test('connection changes are always shown: lost, retry, connected, closed for good', async (t) => {
  const url = 'ws://127.0.0.1:1/ws'
  const change = (c: Partial<StateChange>): StateChange => ({ from: 'open', to: 'reconnecting', reason: 'connection-lost', ...c })
  t.equal(render.renderState(change({ code: 1001 }), url), '-!- connection lost (1001 going-away); reconnecting…')
  t.equal(render.renderState(change({ code: 1006 }), url), '-!- connection lost (1006 abnormal); reconnecting…')
  t.equal(render.renderState(change({ reason: 'heartbeat-timeout' }), url), '-!- connection lost (no answer to ping); reconnecting…')
  t.equal(render.renderState(change({ from: 'connecting', reason: 'connect-failed', code: 1006 }), url), '-!- could not connect (1006 abnormal); reconnecting…')
  t.equal(render.renderState(change({ from: 'reconnecting', to: 'open', reason: 'ready' }), url), `-!- connected to ${url}`)
  t.equal(render.renderState(change({ to: 'closed', reason: 'terminal-close', code: 4008 }), url), '-!- disconnected for good: terminal-close (4008 abuse)')
  t.equal(render.renderState(change({ to: 'closed', reason: 'logout' }), url), '-!- logged out')
  t.equal(render.renderRetry({ attempt: 2, delayMs: 750, reason: 'connection-lost' }), '-!- reconnecting in 0.8 s (attempt 2)')
})

t.test('join, members, rooms, session and errors', async (t) => {
  const members = [
    { userId: 'u_ana', name: 'ana' },
    { userId: 'u_bob', name: 'bob' },
  ]
  t.equal(render.renderJoined({ room: 'dev', members, history: [], outcome: { rejoined: false, resumed: false, missed: 0 } }, 'u_ana'), '-!- joined #dev — 2 here: ana (you), bob')
  t.equal(
    render.renderJoined({ room: 'dev', members, history: [], outcome: { rejoined: true, resumed: true, missed: 2 } }, 'u_ana'),
    '-!- rejoined #dev, 2 missed messages follow — 2 here: ana (you), bob',
  )
  t.match(render.renderJoined({ room: 'dev', members, history: [], outcome: { rejoined: true, resumed: false, missed: 0 } }, 'u_ana'), /could not resume/u)
  t.equal(render.renderMembers('lobby', members, 'u_bob'), '-!- #lobby: 2 here: ana, bob (you)')
  t.equal(
    render.renderRooms(
      [
        { name: 'lobby', status: 'joined', members: 2 },
        { name: 'dev', status: 'rejoining', members: 1 },
      ],
      'lobby',
    ),
    '-!- rooms: *#lobby (2)  #dev (1, rejoining)',
  )
  t.equal(render.renderSession({ userId: 'u_ana', name: 'ana', session: 's', restored: false, sessionId: undefined, registered: false, dms: [], blocked: [] }), '-!- logged in as ana (id u_ana)')
  t.equal(render.renderSession({ userId: 'u_ana', name: 'ana', session: 's', restored: true, sessionId: undefined, registered: false, dms: [], blocked: [] }), '-!- session restored: ana (id u_ana)')
  t.equal(render.renderError({ code: 'not-in-room', message: 'Not in \x1b[5mdev' }), '-!- error: not-in-room: Not in \\x1B[5mdev')
  t.equal(render.renderError('plain'), '-!- error: plain')
  t.match(render.renderHelp(), /\/dm USER TEXT/u)
})

t.test('colours wrap whole lines only when asked for', async (t) => {
  t.equal(render.renderChat(msg(), true, { ...o, color: true }), '\x1b[36m[09:05] #lobby <bob (you)> hello\x1b[0m')
  t.equal(render.renderInfo('x', { color: false }), '-!- x')
})
