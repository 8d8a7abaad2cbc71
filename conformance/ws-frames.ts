// Hand-made RFC 6455 frames, for the checks a WebSocket library will not
// send: a message split into more fragments than a server allows (§12 1008).
// The test helpers build their hostile frames from these too.
import { randomBytes } from 'node:crypto'

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

export interface FrameSpec {
  opcode: number
  payload?: Buffer | string
  /** FIN bit (default true). */
  fin?: boolean
  /** RSV1–3 as a 3-bit number (default 0). */
  rsv?: number
  /** Clients must mask (default true); false writes an unmasked frame. */
  mask?: boolean
  /** Announce this payload length instead of the real one (the bytes are not sent). */
  announcedLength?: number
}

/** Encodes one frame exactly as specified. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload, 'utf8') : (spec.payload ?? Buffer.alloc(0))
  const length = spec.announcedLength ?? payload.length
  const mask = spec.mask ?? true
  const head: number[] = [((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0xf)]
  const maskBit = mask ? 0x80 : 0
  let ext = Buffer.alloc(0)
  if (length < 126) head.push(maskBit | length)
  else if (length < 65536) {
    head.push(maskBit | 126)
    ext = Buffer.alloc(2)
    ext.writeUInt16BE(length)
  } else {
    head.push(maskBit | 127)
    ext = Buffer.alloc(8)
    ext.writeBigUInt64BE(BigInt(length))
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, payload])
  const key = randomBytes(4)
  const body = Buffer.from(payload)
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!
  return Buffer.concat([Buffer.from(head), ext, key, body])
}

/** A message split into `count` frames (the last ones may be empty). */
export function fragmentedText(text: string, count: number): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  const size = Math.ceil(bytes.length / count)
  const frames: Buffer[] = []
  for (let i = 0; i < count; i++) {
    frames.push(encodeFrame({ opcode: i === 0 ? Opcode.text : Opcode.continuation, payload: bytes.subarray(i * size, (i + 1) * size), fin: i === count - 1 }))
  }
  return Buffer.concat(frames)
}
