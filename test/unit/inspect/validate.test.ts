// Live validation against the generated JSON Schemas, per direction, with
// readable failing paths; interpreted (no `new Function`), so it runs under the page's CSP.
import t from 'tap'
import { checkText, checkValue } from '../../../client/inspect/validate.ts'

t.test('a valid frame of each direction passes', async (t) => {
  t.match(checkText('out', '{"type":"chat","id":"1","room":"lobby","text":"hi"}'), { kind: 'valid', type: 'chat' })
  t.match(checkText('in', '{"type":"pong","id":"1"}'), { kind: 'valid', type: 'pong' })
})

t.test('a frame is checked against its own direction', async (t) => {
  t.match(checkText('in', '{"type":"login"}'), { kind: 'invalid', violations: [{ path: '/type', message: /not a server frame type/ }] })
  t.match(checkText('out', '{"type":"welcome"}'), { kind: 'invalid', violations: [{ path: '/type', message: /not a client frame type/ }] })
  t.match(checkText('out', '{"type":"chat","room":"x","text":"y"}'), { kind: 'valid' }, 'chat is a client frame too')
})

t.test('violations name the failing paths', async (t) => {
  t.same(checkText('out', '{"type":"chat","room":"x"}'), {
    kind: 'invalid',
    frame: { type: 'chat', room: 'x' },
    type: 'chat',
    violations: [{ path: '/text', message: 'is required' }],
  })
  const extra = checkText('out', '{"type":"ping","surprise":1}')
  t.match(extra, { kind: 'invalid', violations: [{ path: '/surprise', message: 'is not a field of this frame' }] })
  t.equal(extra.kind === 'invalid' && extra.violations.length, 1, 'an extra field is reported once')
  t.match(checkText('out', '{"type":"login","rooms":[{"room":"Lobby"}]}'), { kind: 'invalid', violations: [{ path: '/rooms/0/room' }] })
  t.match(checkText('out', '{"type":"history","room":"a","limit":0}'), { kind: 'invalid', violations: [{ path: '/limit' }] })
})

t.test('text that is not a JSON object is bad JSON', async (t) => {
  t.match(checkText('out', '{"type":'), { kind: 'bad-json', message: /^Not JSON/ })
  t.match(checkText('out', '[1]'), { kind: 'bad-json', message: 'A frame must be a JSON object.' })
  t.match(checkValue('in', null), { kind: 'bad-json' })
  t.match(checkText('out', '{"id":"1"}'), { kind: 'invalid', type: undefined, violations: [{ path: '/type', message: /is required/ }] })
})
