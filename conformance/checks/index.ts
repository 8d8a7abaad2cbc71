// Every check file of the kit, in report order. A file is a function of a
// root test and the target; `sections` lets a run limited to some sections
// leave out the files that have no check there (undefined: checks of any).
import type { Test } from '../harness.ts'
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

export interface CheckFile {
  file: string
  sections: string[] | undefined
  run: (t: Test, target: Target) => Promise<void>
}

export const CHECK_FILES: readonly CheckFile[] = [
  { file: '02-transport', sections: ['2'], run: transport },
  { file: '03-envelope', sections: ['3'], run: envelope },
  { file: '04-session', sections: ['4'], run: session },
  { file: '05-rooms', sections: ['5'], run: rooms },
  { file: '06-chat', sections: ['6'], run: chat },
  { file: '07-history', sections: ['7'], run: history },
  { file: '08-direct', sections: ['8'], run: direct },
  { file: '09-typing', sections: ['9'], run: typing },
  { file: '10-heartbeat', sections: ['10'], run: heartbeat },
  { file: '11-errors', sections: ['11'], run: errors },
  { file: '12-close-codes', sections: ['12'], run: closeCodes },
  { file: '13-limits', sections: ['13'], run: limits },
  { file: '14-accounts', sections: ['4', '8'], run: accounts },
  { file: '15-rooms-namespaces', sections: ['5'], run: namespaces },
  { file: '16-message-life', sections: ['7a'], run: messageLife },
  { file: '17-moderation', sections: ['7a', '9'], run: moderation },
  { file: '18-search', sections: ['7a'], run: search },
  { file: 'malformed', sections: ['11'], run: malformed },
  { file: 'transcripts', sections: undefined, run: transcripts },
]
