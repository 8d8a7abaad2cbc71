// Schema-driven completion: every client frame type gets a template that is a
// valid frame as it stands, and a field list with required fields first.
import t from 'tap'
import { clientTypes, fieldPlaceholder, fieldsOf, template } from '../../../client/inspect/templates.ts'
import { checkValue } from '../../../client/inspect/validate.ts'
import { ClientFrames } from '../../../protocol/frames.ts'

t.test('the type list is the registry of client frames, each with its description', async (t) => {
  const types = clientTypes()
  t.same(
    types.map((x) => x.type),
    Object.keys(ClientFrames),
  )
  t.ok(
    types.every((x) => x.description.length > 0),
    'every type is described',
  )
})

t.test('every template is a valid frame of its type, with the request id', async (t) => {
  for (const { type } of clientTypes()) {
    const frame = template(type, 'r1')
    t.match(frame, { type, id: 'r1' }, type)
    t.match(checkValue('out', frame), { kind: 'valid', type }, `${type}: ${JSON.stringify(frame)}`)
  }
})

t.test('a template holds the required fields and none of the optional ones', async (t) => {
  t.same(template('chat', 'r2'), { type: 'chat', id: 'r2', room: 'room', text: 'text' })
  t.same(template('join-room', 'r3'), { type: 'join-room', id: 'r3', room: 'room' })
  t.equal(template('no-such-type', 'r'), undefined)
})

t.test('fields are listed required first, optional after, with descriptions', async (t) => {
  t.same(
    fieldsOf('chat').map((f) => [f.name, f.required]),
    [
      ['room', true],
      ['text', true],
      ['id', false],
      ['clientMsgId', false],
      ['replyTo', false],
    ],
  )
  t.ok(fieldsOf('chat').every((f) => f.description.length > 0))
  t.same(fieldsOf('nope'), [])
})

t.test('an optional field is inserted with a value of its shape', async (t) => {
  t.same(fieldPlaceholder('join-room', 'since'), { epoch: 'epoch', seq: 0 }, 'an object gets its required members')
  t.same(fieldPlaceholder('login', 'rooms'), [])
  t.equal(fieldPlaceholder('typing', 'typing'), false)
  const clientMsgId = fieldPlaceholder('chat', 'clientMsgId')
  t.match(checkValue('out', { type: 'chat', room: 'a', text: 'b', clientMsgId }), { kind: 'valid' }, 'padded to the minimum length')
  t.equal(fieldPlaceholder('chat', 'nope'), undefined)
})
