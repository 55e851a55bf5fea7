// Reconnect delays come from the one policy every driver uses (drivers/backoff.ts); this file keeps
// only what is ONVIF-specific: telling a refused login from a camera that does not answer.
/** Did the camera refuse our credentials (as opposed to not answering)? */
export function isAuthFailure(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /not ?authori[sz]ed|NotAuthorized|authentication failed|401/i.test(text);
}
