/**
 * Runs an execution's items with at most `limit` in flight, results kept in item order. After a
 * failure that ends the execution (`run` rejects), no further item starts; the items already
 * running are awaited, so none is left behind, and the failure of the lowest item index is the
 * one thrown (the one a sequential run would have thrown).
 */
interface Failure {
  index: number;
  error: unknown;
}

export async function runItems<T>(count: number, limit: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const state: { failure?: Failure } = {};
  const worker = async (): Promise<void> => {
    while (state.failure === undefined && next < count) {
      const index = next++;
      try {
        results[index] = await run(index);
      } catch (error) {
        // Another worker may have failed meanwhile (read again after the await).
        const earlier = state.failure as Failure | undefined;
        if (earlier === undefined || index < earlier.index) state.failure = { index, error };
      }
    }
  };
  const workers: Array<Promise<void>> = [];
  for (let started = 0; started < Math.min(limit, count); started++) workers.push(worker());
  await Promise.all(workers);
  if (state.failure !== undefined) throw state.failure.error;
  return results;
}
