// The page's words for accounts: the device label sent at login, and how long
// to wait after rate-limited.
import t from 'tap'
import { deviceLabel } from '../../client/page/format.ts'
import { waitText } from '../../client/page/login.ts'

t.test('deviceLabel names the browser and the system, bounded to the protocol limit', async (t) => {
  const cases: [string, string][] = [
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0', 'Edge on Windows'],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari on macOS'],
    ['', 'A browser'],
  ]
  for (const [ua, label] of cases) t.equal(deviceLabel(ua), label, label)
  t.ok(deviceLabel('x'.repeat(10_000)).length <= 64)
})

t.test('waitText rounds the retry delay up to words', async (t) => {
  t.equal(waitText(undefined), 'a moment')
  t.equal(waitText(200), '1 second')
  t.equal(waitText(30_500), '31 seconds')
  t.equal(waitText(61_000), '2 minutes')
  t.equal(waitText(15 * 60_000), '15 minutes')
})
