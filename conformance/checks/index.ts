// Every check file of the kit, in report order. A file is a function of a
// root test and the target; `sections` lets a run limited to some sections
// leave out the files that have no check there (undefined: checks of any).
// `level` and `except` put each check in a conformance level (levels.ts):
// the file's level, and the checks that have another one, by name.
import type { Test } from '../harness.ts'
import type { FileLevels } from '../levels.ts'
import type { Target } from '../target.ts'
import transport from './02-transport.ts'
import envelope from './03-envelope.ts'
import session from './04-session.ts'
import rooms from './05-rooms.ts'
import chat from './06-chat.ts'
import history from './07-history.ts'
import direct from './08-direct.ts'
import typing from './09-typing.ts'
import heartbeat from './10-heartbeat.ts'
import errors from './11-errors.ts'
import closeCodes from './12-close-codes.ts'
import limits from './13-limits.ts'
import accounts from './14-accounts.ts'
import namespaces from './15-rooms-namespaces.ts'
import messageLife from './16-message-life.ts'
import moderation from './17-moderation.ts'
import search from './18-search.ts'
import malformed from './malformed.ts'
import transcripts from './transcripts.ts'

export interface CheckFile extends FileLevels {
  file: string
  sections: string[] | undefined
  run: (t: Test, target: Target) => Promise<void>
}

/** The §11 checks of error codes that only later features cause (accounts, namespaces, DMs, moderation, limits …). */
const LATER_ERROR_CODES = [
  'auth-required',
  'auth-failed',
  'name-reserved',
  'already-registered',
  'not-registered',
  'session-not-found',
  'user-not-found',
  'not-found',
  'forbidden',
  'banned',
  'muted',
  'blocked',
  'too-many-reactions',
  'too-many-rooms',
  'rate-limited',
]
/** The §12 close codes of limits (fragments, abuse, slow consumers), accounts (4011), tokens (4012) and operators (4013, 4014). */
const LATER_CLOSE_CODES = [1008, 4008, 4011, 4012, 4013, 4014, 4100]

export const CHECK_FILES: readonly CheckFile[] = [
  { file: '02-transport', sections: ['2'], run: transport, level: 'core' },
  { file: '03-envelope', sections: ['3'], run: envelope, level: 'core' },
  {
    file: '04-session',
    sections: ['4'],
    run: session,
    level: 'core',
    // It tries every request type of the protocol, DMs, accounts and moderation included.
    except: [[/^§4 before login every request except login and ping/, 'full']],
  },
  {
    file: '05-rooms',
    sections: ['5'],
    run: rooms,
    level: 'core',
    except: [
      [/^§5 join-room answers join-room-ok with members and the newest history/, 'durable'],
      [/^§5 the join snapshot holds at most historyPageMax/, 'durable'],
      [/too-many-rooms/, 'full'],
    ],
  },
  {
    file: '06-chat',
    sections: ['6'],
    run: chat,
    level: 'core',
    except: [
      [/^§6 seq starts at 1 and grows by exactly 1/, 'durable'],
      [/^§6 with two senders at once every member sees one gapless sequence/, 'durable'],
      [/^§6 re-sending a clientMsgId/, 'durable'],
    ],
  },
  { file: '07-history', sections: ['7'], run: history, level: 'durable' },
  { file: '08-direct', sections: ['8'], run: direct, level: 'full' },
  { file: '09-typing', sections: ['9'], run: typing, level: 'full' },
  { file: '10-heartbeat', sections: ['10'], run: heartbeat, level: 'core' },
  { file: '11-errors', sections: ['11'], run: errors, level: 'core', except: [[new RegExp(`^§11 (${LATER_ERROR_CODES.join('|')}):`), 'full']] },
  { file: '12-close-codes', sections: ['12'], run: closeCodes, level: 'core', except: [[new RegExp(`^§12 (${LATER_CLOSE_CODES.join('|')}) `), 'full']] },
  { file: '13-limits', sections: ['13'], run: limits, level: 'full' },
  { file: '14-accounts', sections: ['4', '8'], run: accounts, level: 'full' },
  { file: '15-rooms-namespaces', sections: ['5'], run: namespaces, level: 'full' },
  { file: '16-message-life', sections: ['7a'], run: messageLife, level: 'full' },
  { file: '17-moderation', sections: ['7a', '9'], run: moderation, level: 'full' },
  { file: '18-search', sections: ['7a'], run: search, level: 'full' },
  {
    file: 'malformed',
    sections: ['11'],
    run: malformed,
    level: 'core',
    except: [
      [/^§11 malformed input, durable frames:/, 'durable'],
      [/^§11 malformed input, full frames:/, 'full'],
    ],
  },
  {
    file: 'transcripts',
    sections: undefined,
    run: transcripts,
    level: 'core',
    except: [
      [/^§7 transcript /, 'durable'],
      [/^§(7a|8|9) transcript /, 'full'],
    ],
  },
]
