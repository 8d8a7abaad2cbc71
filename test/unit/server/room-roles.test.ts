// The room permission table (server/rooms/roles.ts), row by row.
import t from 'tap'
import { can, canChangeOwnRole, type RoomAction, type Standing } from '../../../server/rooms/roles.ts'

const STANDINGS: Standing[] = ['owner', 'moderator', 'member', 'none']

t.test('can: who may act in a room', async (t) => {
  const table: Record<RoomAction, Standing[]> = {
    'post-moderated': ['owner', 'moderator'],
    'set-topic': ['owner', 'moderator'],
    invite: ['owner', 'moderator'],
    'set-public': ['owner'],
    'make-owner': ['owner'],
    'make-moderator': ['owner'],
    'make-member': ['owner'],
    'delete-any': ['owner', 'moderator'],
    'list-restrictions': ['owner', 'moderator'],
    moderate: ['owner', 'moderator'],
  }
  for (const [action, allowed] of Object.entries(table) as [RoomAction, Standing[]][]) {
    for (const actor of STANDINGS) t.equal(can(actor, action, 'member'), allowed.includes(actor), `${actor} ${action}`)
  }
})

t.test('moderate: only down the ranks, and users outside the room count as below members', async (t) => {
  const expected: Array<[Standing, Standing, boolean]> = [
    ['owner', 'owner', false],
    ['owner', 'moderator', true],
    ['owner', 'member', true],
    ['owner', 'none', true],
    ['moderator', 'owner', false],
    ['moderator', 'moderator', false],
    ['moderator', 'member', true],
    ['moderator', 'none', true],
    ['member', 'member', false],
    ['member', 'none', false],
    ['none', 'none', false],
  ]
  for (const [actor, target, allowed] of expected) t.equal(can(actor, 'moderate', target), allowed, `${actor} on ${target}`)
})

t.test('can: role changes need a target that belongs to the room; an owner may change another owner', async (t) => {
  for (const action of ['make-owner', 'make-moderator', 'make-member'] as const) {
    t.equal(can('owner', action, 'none'), false, `${action} of someone outside`)
    for (const target of ['owner', 'moderator', 'member'] as const) {
      t.equal(can('owner', action, target), true, `owner ${action} of a ${target}`)
      t.equal(can('moderator', action, target), false, `moderator ${action} of a ${target}`)
    }
  }
})

t.test('canChangeOwnRole: down or the same, never up', async (t) => {
  const rows: [Standing, 'owner' | 'moderator' | 'member', boolean][] = [
    ['member', 'moderator', false],
    ['member', 'owner', false],
    ['moderator', 'owner', false],
    ['none', 'member', false],
    ['member', 'member', true],
    ['moderator', 'member', true],
    ['owner', 'moderator', true],
    ['owner', 'member', true],
  ]
  for (const [current, wanted, ok] of rows) t.equal(canChangeOwnRole(current, wanted), ok, `${current} → ${wanted}`)
})
