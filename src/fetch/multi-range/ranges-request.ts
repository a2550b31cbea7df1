import { ViewerError } from '../../errors.ts';
import { discard } from '../../net/outcome.ts';
import { joinTouching, type ByteRange, type RangesResult } from '../byte-ranges.ts';
import { readRangesAnswer } from './ranges-answer.ts';

/** What a client learnt of how its server serves several ranges, kept across its requests. */
export interface MultiRangeState {
  answer: 'untried' | 'yes' | 'no';
  /** Most ranges (touching ones joined) one request asks for; a server's 416 halves it. */
  rangesPerRequest: number;
  /** Settles once the request trying the server knows its answer. */
  trial?: Promise<void> | null;
}

/** What a request for several ranges needs of the client sending it. */
export interface RangesRequestContext {
  /** The file size the first answer gave. */
  total: number;
  state: MultiRangeState;
  /** One logical request (retries, one renewal on 401); `header` is read again for each attempt. */
  send: <T>(header: () => string, read: (response: Response) => Promise<T>) => Promise<T>;
  /** Throws if a 206 comes from another version of the document than the first answer. */
  checkVersion: (response: Response) => void;
  readChunks: (response: Response, onChunk: (bytes: Uint8Array) => boolean) => Promise<void>;
  readBody: (response: Response) => Promise<Uint8Array>;
}

type Answer = RangesResult['answer'];

/**
 * Asks for the sorted `pending` ranges in as few requests as the server takes (see
 * `DocumentClient.fetchRanges`): one at a time tries a server not yet known while the others wait
 * for its answer; a 416 to that trial, or to two ranges, means one range per request; a 416 from
 * a server that has served several halves the ranges a request, for this and later calls.
 */
export async function fetchRanges(
  pending: ByteRange[],
  onRange: (begin: number, bytes: Uint8Array) => void,
  onAnswer: (answer: Answer) => void,
  context: RangesRequestContext,
): Promise<RangesResult> {
  const { state } = context;
  while (state.answer === 'untried' && state.trial) await state.trial;
  if (state.answer === 'no') {
    onAnswer('single-only');
    return { answer: 'single-only', missing: pending };
  }
  let endTrial = (): void => {};
  if (state.answer === 'untried') {
    let settle = (): void => {};
    const trial = new Promise<void>((resolve) => (settle = resolve));
    state.trial = trial;
    endTrial = () => {
      if (state.trial === trial) state.trial = null;
      settle();
    };
  }
  const learn = (answer: Answer): void => {
    if (answer === 'single-only') state.answer = 'no';
    else if (state.answer === 'untried') state.answer = 'yes';
    endTrial();
    onAnswer(answer);
  };
  const missing: ByteRange[] = [];
  try {
    while (pending.length > 0) {
      const group = pending.splice(0, groupLength(pending, state.rangesPerRequest));
      const asked = group.length;
      let answer: Answer | 'again';
      try {
        answer = await fetchGroup(group, onRange, learn, context);
      } catch (error) {
        // Answers that broke off every time, each bringing ranges, are a flaky link, not a dead
        // one: what is left goes on with retries of its own (each round brings a range at least).
        if (!(error instanceof ViewerError && error.code === 'network' && group.length > 0 && group.length < asked)) throw error;
        answer = 'again';
      }
      if (answer === 'again') {
        pending.unshift(...group);
        continue;
      }
      missing.push(...group);
      if (answer === 'single-only') return { answer, missing: [...missing, ...pending] };
    }
  } finally {
    // A request that failed before its answer leaves the trial to the next one.
    endTrial();
  }
  return { answer: 'multipart', missing };
}

/** How many of the sorted `pending` ranges fit in a spec list of at most `limit` ranges. */
function groupLength(pending: readonly ByteRange[], limit: number): number {
  const specs = joinTouching(pending);
  if (specs.length <= limit) return pending.length;
  const end = specs[limit - 1]![1];
  let count = 0;
  while (count < pending.length && pending[count]![0] < end) count++;
  return count;
}

/**
 * One request for the ranges of `group` (sorted); those handed out are taken off it. `again`: the
 * server refused this many ranges with 416; what is left is asked for again, fewer at a time.
 */
async function fetchGroup(
  group: ByteRange[],
  onRange: (begin: number, bytes: Uint8Array) => void,
  learn: (answer: Answer) => void,
  context: RangesRequestContext,
): Promise<Answer | 'again'> {
  // Touching ranges go as one spec; their parts are still handed out one by one.
  const header = () => `bytes=${joinTouching(group).map(([begin, end]) => `${begin}-${end - 1}`).join(',')}`;
  // This server serves one range per request: the caller goes on so.
  const refuse = async (response: Response): Promise<'single-only'> => {
    learn('single-only');
    await discard(response);
    return 'single-only';
  };
  return context.send(header, async (response): Promise<Answer | 'again'> => {
    if (response.status === 416) {
      // A 416 to the first request for several ranges is a server that takes one range per
      // request (S3 and the like): one refusal, never a row of them. A server that has served
      // several and refuses more than it allows is asked for half as many, down to two; one that
      // refuses even two is asked one range at a time. (A late 416 from a request sent before a
      // lower limit was learnt does not raise it again.)
      const specs = joinTouching(group).length;
      if (specs <= 2 || context.state.answer === 'untried') return refuse(response);
      context.state.rangesPerRequest = Math.min(context.state.rangesPerRequest, Math.max(2, Math.floor(specs / 2)));
      await discard(response);
      return 'again';
    }
    if (response.status === 200) return refuse(response);
    context.checkVersion(response);
    try {
      return await readRangesAnswer(response, group, {
        total: context.total,
        onRange,
        onAnswer: learn,
        refuse,
        readChunks: (onChunk) => context.readChunks(response, onChunk),
        readBody: () => context.readBody(response),
      });
    } catch (error) {
      // Every range came and only the end of the answer broke off: nothing to ask again.
      if (group.length === 0 && error instanceof ViewerError && error.code === 'network') return 'multipart';
      throw error;
    }
  });
}
