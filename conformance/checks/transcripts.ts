// Replays every golden transcript in protocol/transcripts/ against the
// target (see ../transcripts.ts for the matching rules). User and room names
// get a per-run suffix so earlier runs and other users cannot interfere.
import { randomBytes } from 'node:crypto'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from '../harness.ts'
import type { Target } from '../target.ts'
import { loadTranscripts, renameLiterals, runTranscript } from '../transcripts.ts'

// The transcripts ship with @wirechat/protocol; resolving one through the package finds
// them both in the repository and in an installed kit.
const dir = dirname(fileURLToPath(import.meta.resolve('@wirechat/protocol/transcripts/01-login-and-chat.json')))

/** The PROTOCOL.md clauses each golden transcript proves, by file. */
const TRANSCRIPT_CLAUSES: Readonly<Record<string, readonly string[]>> = {
  '01-login-and-chat.json': ['SES-1', 'SES-13', 'CHAT-1', 'CHAT-2', 'CHAT-3', 'CHAT-4', 'ROOM-35'],
  '02-rooms-and-alarms.json': ['ROOM-28', 'ROOM-31', 'ROOM-33', 'ROOM-35', 'ROOM-36'],
  '03-rename.json': ['SES-4', 'SES-23', 'SES-24', 'SES-26', 'ROOM-37'],
  '04-direct-message.json': ['DM-1', 'DM-2', 'DM-6'],
  '05-typing.json': ['TYP-1', 'TYP-2', 'TYP-6'],
  '06-bad-frames.json': ['ENV-1', 'ENV-8', 'ENV-10', 'ENV-12', 'SES-2', 'CHAT-1', 'ERR-1', 'BEAT-4'],
  '07-resume-after-drop.json': ['SES-14', 'SES-16', 'HIST-10', 'HIST-11', 'HIST-16'],
  '08-logout.json': ['SES-27', 'CLOSE-1000', 'ROOM-36'],
  '09-history.json': ['HIST-1', 'HIST-2', 'HIST-3', 'ROOM-28'],
  '10-message-life.json': ['LIFE-1', 'LIFE-2', 'LIFE-4', 'LIFE-6', 'LIFE-7', 'LIFE-9', 'LIFE-13'],
}

export default async function checks(t: Test, target: Target): Promise<void> {
  const transcripts = loadTranscripts(dir)

  // A check of the kit's own data: it cites no clause.
  t.test('§1 the golden transcripts are well-formed and cover the required flows', { clauses: [] }, async (t) => {
    t.ok(transcripts.length >= 8, `${transcripts.length} transcripts`)
    for (const { file, problems } of transcripts) t.same(problems, [], file)
    const sections = new Set(transcripts.map((x) => x.transcript.section))
    for (const section of ['4', '5', '6', '7', '8', '9', '11']) t.ok(sections.has(section), `a transcript for §${section}`)
  })

  for (const { file, transcript, problems } of transcripts) {
    // A transcript added without an entry above cites nothing: the clauses test names it.
    t.test(`§${transcript.section} transcript ${file}: ${transcript.title}`, { skip: problems.length > 0 ? 'malformed transcript' : false, clauses: TRANSCRIPT_CLAUSES[file] ?? [] }, async (t) => {
      const replayed = renameLiterals(transcript, randomBytes(3).toString('hex'))
      const result = await runTranscript(t, target.url, replayed)
      if (result.ok) t.pass(`${transcript.steps.length} steps replayed`)
      else t.fail(`step ${result.step}: ${result.reason}`, { step: transcript.steps[result.step] })
    })
  }
}
