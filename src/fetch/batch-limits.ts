/**
 * Most ranges in one request: servers cap them (the reference backend and a careful server at 64,
 * Apache at 200, nginx not at all); a server that refuses its first request for several with
 * 416 is asked one range at a time; one that served several and then refuses more is asked for
 * half as many, down to two, then (a 416 to two) one range at a time.
 */
export const MAX_BATCH_RANGES = 64;
/** Most bytes in one request, so that one slow answer holds back little. */
export const MAX_BATCH_BYTES = 1_048_576;
