// The words the page uses for moderation: timeline notices from either side,
// durations as a moderator picked them, and refusals with their end.
import t from 'tap'
import type { ChatMessage } from '../../../protocol/index.ts'
import { ChatError } from '../../../client/index.ts'
import { DURATIONS, durationText, moderationNotice, roomRefusalText } from '../../../client/page/moderation-text.ts'

const HOUR = 3_600_000
const ts = Date.UTC(2025, 4, 12, 10, 0)
const entry = (event: ChatMessage['event'], actor = { userId: 'u_mod', name: 'mod' }): ChatMessage => ({
  msgId: 'm1',
  room: 'town',
  seq: 9,
  ...actor,
  text: 'fallback',
  ts,
  ...(event !== undefined && { event }),
})

t.test('durations read as the moderator picked them, despite the ms the server adds', async (t) => {
  t.same(
    DURATIONS.filter((d) => d.ms !== undefined).map((d) => durationText(d.ms! + 37)),
    ['1 hour', '1 day', '1 week'],
  )
  t.equal(durationText(3 * 24 * HOUR), '3 days')
  t.equal(durationText(14 * 24 * HOUR - 5), '2 weeks')
  t.equal(durationText(90_000), '2 minutes')
  t.equal(durationText(10), '1 minute')
})

t.test('notices name the actor and the target, "you" for the reader', async (t) => {
  const spammer = { userId: 'u_spam', name: 'spammer' }
  const cases: [ChatMessage['event'], string | undefined, string][] = [
    [{ kind: 'ban', ...spammer, until: ts + 24 * HOUR, reason: 'links' }, undefined, 'mod banned spammer for 1 day: links'],
    [{ kind: 'ban', ...spammer }, undefined, 'mod banned spammer for good'],
    [{ kind: 'kick', ...spammer, reason: 'spam' }, 'u_spam', 'mod kicked you: spam'],
    [{ kind: 'mute', ...spammer, until: ts + HOUR }, 'u_mod', 'You muted spammer for 1 hour'],
    [{ kind: 'mute', ...spammer }, undefined, 'mod muted spammer until unmuted'],
    [{ kind: 'unban', ...spammer }, undefined, 'mod lifted the ban on spammer'],
    [{ kind: 'unmute', ...spammer }, 'u_spam', 'mod unmuted you'],
  ]
  for (const [event, self, text] of cases) t.equal(moderationNotice(entry(event), self), text, text)
  t.equal(moderationNotice(entry({ kind: 'delete', target: 3 }), undefined), undefined, 'message events are not notices')
  t.equal(moderationNotice(entry(undefined), undefined), undefined, 'nor are messages')
})

t.test('refusals by the room say what and until when; other failures are left to the caller', async (t) => {
  t.equal(roomRefusalText(new ChatError('muted', 'You are muted.', { details: ['until:never'] })), 'a moderator muted you in this room until it is lifted')
  t.match(roomRefusalText(new ChatError('banned', 'You are banned.', { details: [`until:${Date.now() + HOUR}`] })), /^you are banned from this room until \S/)
  t.equal(roomRefusalText(new ChatError('forbidden', 'Only owners and moderators do this.')), 'Only owners and moderators do this')
  t.equal(roomRefusalText(new ChatError('blocked', 'Blocked.')), 'this user does not accept your messages')
  t.equal(roomRefusalText(new ChatError('timeout', 'No reply.')), undefined)
  t.equal(roomRefusalText(new Error('x')), undefined)
})
