// Public surface of the protocol package.
export * from './primitives.ts'
export * from './codes.ts'
export * from './frames.ts'
export * from './codec.ts'
export * from './encode.ts'
export * from './timeline.ts'
export * from './emoji.ts'
export * from './mentions.ts'
