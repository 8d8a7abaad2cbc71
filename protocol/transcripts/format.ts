// Golden transcripts: example exchanges that PROTOCOL.md shows and the
// conformance suite replays against a live server, so the spec cannot drift.
//
// A transcript is a JSON file in this folder (NN-name.json) holding a Transcript.
// Steps run in order. In `expect` patterns:
// - a string "$name" binds a variable on first use and must equal it afterwards
//   (e.g. "$ana.userId"); variables are shared across clients of one transcript;
// - the strings "<string>", "<integer>", "<boolean>", "<any>" match any value of that kind;
// - objects must have exactly the listed keys; arrays must have exactly the listed items, in order;
// - any other value must be equal.
// In `send` frames, "$name" strings are replaced by the bound value.

export type TranscriptStep =
  | { connect: string }
  | { client: string; send: Record<string, unknown> }
  | { client: string; expect: Record<string, unknown> }
  | { client: string; close: number }
  | { client: string; expectClose: { code: number; reason?: string } }

export interface Transcript {
  /** Short title shown as the heading in PROTOCOL.md. */
  title: string
  /** PROTOCOL.md section this illustrates, e.g. "6". */
  section: string
  /** One or two sentences shown above the exchange. */
  description: string
  steps: TranscriptStep[]
}
