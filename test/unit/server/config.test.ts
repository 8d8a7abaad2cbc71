import t from 'tap'
import { defaultConfig, loadConfig } from '../../../server/config.ts'

t.test('defaults apply when the environment says nothing', async (t) => {
  t.same(loadConfig({}), defaultConfig)
})

t.test('environment variables override defaults with their types', async (t) => {
  const c = loadConfig({ PORT: '4000', MAX_ROOMS: '7', RATE_PER_SECOND: '2.5', ALLOWED_ORIGINS: 'https://a.example, https://b.example', STORE: 'memory' })
  t.equal(c.port, 4000)
  t.equal(c.maxRooms, 7)
  t.equal(c.messagesPerSecond, 2.5)
  t.same(c.allowedOrigins, ['https://a.example', 'https://b.example'])
  t.equal(c.store, 'memory')
})

t.test('an invalid value stops the server with the variable named', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/)
  t.throws(() => loadConfig({ MAX_ROOMS: '0' }), /MAX_ROOMS/)
  t.throws(() => loadConfig({ STORE: 'mongodb' }), /STORE/)
})

t.test('TRUST_PROXY is off by default and takes only true or false', async (t) => {
  t.equal(loadConfig({}).trustProxy, false)
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true)
  t.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false)
  for (const value of ['yes', '1', 'TRUE ', 'on']) t.throws(() => loadConfig({ TRUST_PROXY: value }), /TRUST_PROXY/, value)
})
