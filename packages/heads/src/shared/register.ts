import { heads, registerHead, type HeadFactory } from '@maxpoolbert/core';

/** Registers a built-in head once, however many entry points (index, subpath) import it. */
export function registerBuiltIn(name: string, factory: HeadFactory, aliases: string[] = []): HeadFactory {
  if (!heads.has(name)) registerHead(name, factory, { aliases });
  return factory;
}
