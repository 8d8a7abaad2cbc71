// Percentiles of latency samples.

/** The q-quantile (0..1) of `sorted` by nearest rank; NaN when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

/** A growable list of numbers without per-sample allocation. */
export class Samples {
  #data = new Float64Array(1 << 16)
  #length = 0

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2)
      bigger.set(this.#data)
      this.#data = bigger
    }
    this.#data[this.#length++] = value
  }

  /** Sorted copy of the samples. */
  sorted(): Float64Array {
    return this.#data.slice(0, this.#length).sort()
  }

  get length(): number {
    return this.#length
  }
}
