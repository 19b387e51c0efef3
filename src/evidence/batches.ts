/**
 * Reads rows in batches, keyset-paginated on a key (`key > last key`), so the
 * memory an export needs does not grow with its size. The next batch is asked
 * for as soon as this one arrives: the database reads it while this one is
 * turned into the file, and no more than two batches are held at once.
 */
export async function* batches<T, K extends string | number = string>(
  size: number,
  read: (after: K | undefined, take: number) => Promise<T[]>,
  keyOf: (row: T) => K = (row) => (row as { id: K }).id,
): AsyncGenerator<T[]> {
  let next: Promise<T[]> | undefined = ahead(read(undefined, size));
  while (next) {
    const batch: T[] = await next;
    next = batch.length === size ? ahead(read(keyOf(batch[batch.length - 1]!), size)) : undefined;
    if (batch.length > 0) yield batch;
  }
}

/**
 * A read that may fail while nobody awaits it yet (the reader is busy with the
 * batch before, or has stopped): marked as handled, so the failure surfaces
 * where it is awaited instead of ending the process as unhandled.
 */
function ahead<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}
