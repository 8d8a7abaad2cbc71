// Loads the golden transcripts (protocol/transcripts/NN-name.json, format in
// transcripts/format.ts) in file-name order, checking their shape so a broken
// file fails the generator with its name rather than rendering nonsense.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Transcript, TranscriptStep } from '../transcripts/format.ts'

/** A transcript with the file it came from. */
export interface LoadedTranscript extends Transcript {
  /** File name without `.json`, used as its anchor. */
  slug: string
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

function checkStep(step: unknown, where: string): TranscriptStep {
  if (!isObject(step)) throw new Error(`${where}: a step must be an object`)
  const keys = Object.keys(step).sort().join(',')
  const ok =
    (keys === 'connect' && typeof step.connect === 'string') ||
    (keys === 'client,send' && typeof step.client === 'string' && isObject(step.send)) ||
    (keys === 'client,expect' && typeof step.client === 'string' && isObject(step.expect)) ||
    (keys === 'client,close' && typeof step.client === 'string' && typeof step.close === 'number') ||
    (keys === 'client,expectClose' && typeof step.client === 'string' && isObject(step.expectClose) && typeof step.expectClose.code === 'number')
  if (!ok) throw new Error(`${where}: not a transcript step: ${JSON.stringify(step).slice(0, 200)}`)
  return step as TranscriptStep
}

/** Parses and checks one transcript file's text. */
export function parseTranscript(text: string, slug: string): LoadedTranscript {
  const value: unknown = JSON.parse(text)
  if (!isObject(value)) throw new Error(`${slug}: a transcript must be an object`)
  const { title, section, description, steps } = value
  if (typeof title !== 'string' || typeof section !== 'string' || typeof description !== 'string' || !Array.isArray(steps)) {
    throw new Error(`${slug}: needs string title, section and description, and a steps array`)
  }
  return { slug, title, section, description, steps: steps.map((s, i) => checkStep(s, `${slug} step ${i + 1}`)) }
}

/** Every transcript in a folder, sorted by file name. */
export function loadTranscripts(dir: string): LoadedTranscript[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseTranscript(readFileSync(join(dir, f), 'utf8'), f.slice(0, -'.json'.length)))
}
