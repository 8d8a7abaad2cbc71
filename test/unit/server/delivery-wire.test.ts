// The Redis broker's wire form of a delivery: every field survives the trip,
// the optional ones stay absent, and malformed payloads are refused.
import t from 'tap'
import type { Delivery } from '../../../server/broker/broker.ts'
import { decodeDelivery, encodeDelivery } from '../../../server/broker/redis.ts'

t.test('every combination of fields round-trips', async (t) => {
  const data = '{"type":"chat","message":{"text":"a\\nb"}}\nraw\r\nlines'
  const cases: Delivery[] = [
    { data },
    { data, seq: 7 },
    { data, seq: 7, origin: 'c1' },
    { data, from: 'u_1' },
    { data, seq: 1, origin: 'c1', from: 'u_1', legacy: '{"type":"chat","message":{}}' },
    { data, legacy: '' },
  ]
  for (const delivery of cases) t.same(decodeDelivery(encodeDelivery(delivery)), delivery, JSON.stringify(delivery))
})

t.test('refuses what it did not write', async (t) => {
  t.equal(decodeDelivery('{"type":"chat"}'), undefined, 'no header')
  t.equal(decodeDelivery('x\n\n\n\n{}'), undefined, 'a seq that is not a number')
  t.equal(decodeDelivery('1\n\n{}'), undefined, 'a header of the older form')
  t.equal(decodeDelivery('1\n\n\n99\n{}'), undefined, 'a split past the end')
  t.throws(() => encodeDelivery({ data: '{}', origin: 'a\nb' }))
  t.throws(() => encodeDelivery({ data: '{}', from: 'a\nb' }))
})
