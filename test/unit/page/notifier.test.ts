// Desktop notifications: asked for only on a user action, shown only while hidden and on, switchable.
import t from 'tap'
import { Notifier, noticeBody, pageTitle, type NotificationApi } from '../../../client/page/notifier.ts'

function fakeApi(initial: NotificationPermission, answer: NotificationPermission) {
  const shown: { title: string; options?: NotificationOptions }[] = []
  let asked = 0
  class Fake {
    static permission: NotificationPermission = initial
    static async requestPermission(): Promise<NotificationPermission> {
      asked++
      Fake.permission = answer
      return answer
    }
    onclick: ((ev: Event) => unknown) | null = null
    constructor(title: string, options?: NotificationOptions) {
      shown.push(options === undefined ? { title } : { title, options })
    }
    close(): void {}
  }
  return { api: Fake as unknown as NotificationApi, shown, asked: () => asked }
}

function memoryStore() {
  let value: boolean | undefined
  return { get: () => value, set: (on: boolean) => void (value = on) }
}

const notice = { title: 'ana mentioned you in #design', body: 'hi', tag: 'room:design', onClick: () => {} }

t.test('nothing is asked or shown until the user acts', async (t) => {
  const fake = fakeApi('default', 'granted')
  const notifier = new Notifier({ api: fake.api, hidden: () => true, store: memoryStore() })
  t.equal(notifier.state, 'ask')
  t.notOk(notifier.notify(notice), 'no notification without permission')
  t.equal(fake.asked(), 0, 'never asked on its own')
  await notifier.userActed()
  t.equal(fake.asked(), 1, 'the first send asks')
  t.equal(notifier.state, 'on')
  await notifier.userActed()
  t.equal(fake.asked(), 1, 'once')
  t.ok(notifier.notify(notice))
  t.same(fake.shown, [{ title: notice.title, options: { body: 'hi', tag: 'room:design' } }])
})

t.test('only while the tab is hidden', async (t) => {
  const fake = fakeApi('granted', 'granted')
  let hidden = false
  const notifier = new Notifier({ api: fake.api, hidden: () => hidden, store: memoryStore() })
  t.notOk(notifier.notify(notice))
  hidden = true
  t.ok(notifier.notify(notice))
})

t.test('the bell switches them off and on; a refusal or a missing API is reported, not retried', async (t) => {
  const granted = fakeApi('granted', 'granted')
  const store = memoryStore()
  const notifier = new Notifier({ api: granted.api, hidden: () => true, store })
  await notifier.toggle()
  t.equal(notifier.state, 'off')
  t.notOk(notifier.notify(notice))
  await notifier.toggle()
  t.equal(notifier.state, 'on')

  const denied = fakeApi('default', 'denied')
  const refused = new Notifier({ api: denied.api, hidden: () => true, store: memoryStore() })
  await refused.toggle()
  t.equal(refused.state, 'blocked')
  await refused.userActed()
  t.equal(denied.asked(), 1, 'not asked again')

  const offStore = memoryStore()
  offStore.set(false)
  const fresh = fakeApi('default', 'granted')
  await new Notifier({ api: fresh.api, hidden: () => true, store: offStore }).userActed()
  t.equal(fresh.asked(), 0, 'a user who switched them off is not asked on send')

  t.equal(new Notifier({ api: undefined, hidden: () => true, store: memoryStore() }).state, 'unsupported')
})

t.test('title and body', async (t) => {
  t.equal(pageTitle(3, 10), '(3) wirechat', 'mentions and DMs are counted')
  t.equal(pageTitle(0, 10), '• wirechat', 'other unread only marked')
  t.equal(pageTitle(0, 0), 'wirechat')
  t.equal(noticeBody('a\n\nb   c'), 'a b c')
  t.equal([...noticeBody('😀'.repeat(200), 10)].length, 10)
})
