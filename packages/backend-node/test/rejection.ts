/** Awaits a promise that must reject, and returns its error (of `type`, Error by default). */
export async function rejection<E extends Error = Error>(p: Promise<unknown>, type: new (...args: never[]) => E = Error as never): Promise<E> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as E;
}
