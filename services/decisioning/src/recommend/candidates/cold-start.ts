import type { Candidate } from './pool';

/**
 * For a user without history (or without consent to use it), the request's context is all there is, so
 * it orders the list before the model does: first what goes with the item on the page (used together
 * with it, or similar to it), then what is popular in the page's category, then the rest; the model
 * orders each tier. Lower tier first.
 */
export function coldStartTier(c: Candidate, currentItemId: string | undefined): number {
  if (currentItemId !== undefined && (c.coocSeed === currentItemId || c.similarSeed === currentItemId)) return 0;
  return c.inPageCategory ? 1 : 2;
}
