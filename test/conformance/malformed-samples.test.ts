// The kit ships its fast-check draws as data (conformance/malformed-samples.ts);
// they must be what the draws in malformed-samples.ts give with their seed.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { drawSamples, samplesModule, samplesPath } from './malformed-samples.ts'

t.test('the stored samples are the fast-check draws (regenerate with: node --conditions=wirechat-source test/conformance/malformed-samples.ts --write)', async (t) => {
  t.equal(readFileSync(samplesPath, 'utf8'), samplesModule(drawSamples()))
})
