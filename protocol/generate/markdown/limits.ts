// PROTOCOL.md §13: the limits announced in `welcome` (from the Limits schema)
// with the reference server's defaults, and the server settings that shape
// the protocol without being announced (from server/config.ts), so the
// numbers in the spec are the numbers the server uses.
import { Config, announcedLimits, configEnvNames, defaultConfig } from '../../../server/config.ts'
import { Limits } from '../../frames/session.ts'
import { plainSchema } from '../json-schema.ts'
import { rulesOf } from './field-table.ts'

const cell = (s: string): string => s.replace(/\|/g, '\\|')

/** Settings of the reference server that clients can observe, beyond `welcome.limits`. */
const OBSERVABLE_SETTINGS = [
  'heartbeatMs', 'loginTimeoutMs', 'abuseStrikes', 'maxReplay', 'maxBufferedBytes', 'maxConnections', 'maxConnectionsPerIp', 'allowedOrigins',
] as const

export function renderLimits(): string {
  const defaults = announcedLimits(defaultConfig) as Record<string, unknown>
  const schema = plainSchema(Limits)
  const props = schema.properties as Record<string, { type?: string; description?: string }>
  const limitRows = Object.entries(props).map(([name, prop]) =>
    `| \`limits.${name}\` | ${prop.type ?? ''} | ${cell(rulesOf(prop as never).join('; '))} | ${JSON.stringify(defaults[name])} | ${cell(prop.description ?? '')} |`)
  const configProps = plainSchema(Config).properties as Record<string, { description?: string }>
  const settingRows = OBSERVABLE_SETTINGS.map((key) =>
    `| \`${configEnvNames[key]}\` | ${JSON.stringify(defaultConfig[key])} | ${cell(configProps[key]?.description ?? '')} |`)
  return [
    'Every field of `welcome.limits` is required.',
    '',
    '| Field | Type | Rules | Reference default | Meaning |',
    '| --- | --- | --- | --- | --- |',
    ...limitRows,
    '',
    'Reference-server settings that clients can observe but `welcome` does not announce (environment variable, default):',
    '',
    '| Setting | Default | Meaning |',
    '| --- | --- | --- |',
    ...settingRows,
  ].join('\n')
}
