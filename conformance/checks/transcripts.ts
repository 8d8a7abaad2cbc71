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

export default async function checks(t: Test, target: Target): Promise<void> {
  const transcripts = loadTranscripts(dir)

  t.test('§1 the golden transcripts are well-formed and cover the required flows', async (t) => {
    t.ok(transcripts.length >= 8, `${transcripts.length} transcripts`)
    for (const { file, problems } of transcripts) t.same(problems, [], file)
    const sections = new Set(transcripts.map((x) => x.transcript.section))
    for (const section of ['4', '5', '6', '7', '8', '9', '11']) t.ok(sections.has(section), `a transcript for §${section}`)
  })

  for (const { file, transcript, problems } of transcripts) {
    t.test(`§${transcript.section} transcript ${file}: ${transcript.title}`, { skip: problems.length > 0 ? 'malformed transcript' : false }, async (t) => {
      const replayed = renameLiterals(transcript, randomBytes(3).toString('hex'))
      const result = await runTranscript(t, target.url, replayed)
      if (result.ok) t.pass(`${transcript.steps.length} steps replayed`)
      else t.fail(`step ${result.step}: ${result.reason}`, { step: transcript.steps[result.step] })
    })
  }
}
