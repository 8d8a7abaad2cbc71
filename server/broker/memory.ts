// Single-process broker: a publish is handed to the handler synchronously.
import type { Broker, Delivery, DeliveryHandler } from './broker.ts'

export function createMemoryBroker(): Broker {
  const channels = new Set<string>()
  let handler: DeliveryHandler = () => {}
  return {
    async subscribe(channel) {
      channels.add(channel)
    },
    async unsubscribe(channel) {
      channels.delete(channel)
    },
    async publish(channel: string, delivery: Delivery) {
      if (channels.has(channel)) handler(channel, delivery)
    },
    onDelivery(h) {
      handler = h
    },
    ready: () => true,
    async close() {
      channels.clear()
    },
  }
}
