// A bounded pool of render worker threads, so rendering never runs on the request path: a few
// workers (default one per spare core), a bounded queue (more is refused at once), a time limit
// per job and a memory limit per worker. A worker that crashes, runs out of memory or overruns
// its time is replaced; its job fails alone and the pool carries on.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { RenderFailure } from './render-failure.ts';
import type { RenderJob, RenderResult, WorkerReply } from './render-jobs.ts';

export interface RenderPoolOptions {
  /** Worker threads at most; default one per core beyond the first, at least 1 and at most 4. */
  size?: number;
  /** Jobs waiting for a worker at most; more are refused with {@link RenderPoolError} `busy`. Default 64. */
  maxQueued?: number;
  /** A job still running after this long ends its worker; default 30000 ms. */
  jobTimeoutMs?: number;
  /** Heap limit of each worker (MiB); default 768. */
  workerMemoryMb?: number;
}

/** Why the pool could not run a job: `busy` (queue full), `timeout`, `crashed` (the worker died), `closed`, `internal`. */
export class RenderPoolError extends Error {
  readonly reason: 'busy' | 'timeout' | 'crashed' | 'closed' | 'internal';
  constructor(reason: RenderPoolError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface RenderPoolStats {
  size: number;
  /** Workers started so far (more than `size` after replacements). */
  started: number;
  /** Jobs finished, by kind (`page` counts only renders, not watermarking a cached image). */
  finished: Record<RenderJob['kind'] | 'render', number>;
  queued: number;
}

export interface RenderPool {
  run(job: RenderJob): Promise<RenderResult>;
  stats(): RenderPoolStats;
  /** Ends every worker; queued and running jobs fail with `closed`. */
  close(): Promise<void>;
}

interface Pending {
  id: number;
  job: RenderJob;
  resolve(result: RenderResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded its code and listens for jobs. */
  ready: boolean;
  current: (Pending & { timer: NodeJS.Timeout }) | null;
  /** Documents this worker opened lately: jobs for them go here first. */
  recent: string[];
  failure: RenderPoolError | null;
}

/** Beside this module: `.ts` when run from source, `.js` when built (a loader's query on this module's URL is no part of it). */
const OWN_PATH = new URL(import.meta.url).pathname;
const WORKER_URL = new URL(`./render-worker${OWN_PATH.slice(OWN_PATH.lastIndexOf('.'))}`, import.meta.url);

function startWorker(memoryMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb };
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { resourceLimits });
  // Run from source (tests, `npm start`): Node 20 does not apply the parent's `--import tsx` to a
  // worker's entry, so the worker registers tsx itself before loading its TypeScript.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits });
}

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export function createRenderPool(options: RenderPoolOptions = {}): RenderPool {
  const size = options.size ?? defaultPoolSize();
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError('size must be a positive integer');
  const maxQueued = options.maxQueued ?? 64;
  const timeoutMs = options.jobTimeoutMs ?? 30_000;
  const memoryMb = options.workerMemoryMb ?? 768;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  const finished: RenderPoolStats['finished'] = { layout: 0, text: 0, page: 0, render: 0, stamp: 0 };
  let started = 0;
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = startWorker(memoryMb);
    started++;
    const slot: Slot = { worker, ready: false, current: null, recent: [], failure: null };
    worker.unref();
    worker.on('message', (reply: WorkerReply | 'ready') => {
      if (reply !== 'ready') return settle(slot, reply);
      slot.ready = true;
      dispatch();
    });
    worker.on('error', () => {
      slot.failure ??= new RenderPoolError('crashed', 'The renderer failed on this document.');
    });
    worker.on('exit', () => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      const running = slot.current;
      slot.current = null;
      if (running) {
        clearTimeout(running.timer);
        running.reject(slot.failure ?? new RenderPoolError(closed ? 'closed' : 'crashed', 'The renderer stopped.'));
      }
      if (!slot.ready) {
        // A worker that cannot even start (a missing native module): what waits fails now
        // rather than start worker after worker.
        for (const pending of queue.splice(0)) pending.reject(new RenderPoolError('internal', 'The renderer could not start.'));
        return;
      }
      dispatch();
    });
    slots.push(slot);
    return slot;
  }

  function settle(slot: Slot, reply: WorkerReply): void {
    const running = slot.current;
    if (!running || running.id !== reply.id) return;
    clearTimeout(running.timer);
    slot.current = null;
    slot.worker.unref();
    if (reply.ok) {
      finished[running.job.kind]++;
      if (reply.result.kind === 'page' && reply.result.clean) finished.render++;
      running.resolve(reply.result);
    } else if (reply.code === 'internal') {
      running.reject(new RenderPoolError('internal', 'The renderer failed.'));
    } else {
      running.reject(new RenderFailure(reply.code, reply.message));
    }
    dispatch();
  }

  function start(slot: Slot, pending: Pending): void {
    const key = pending.job.doc.key;
    slot.recent = [key, ...slot.recent.filter((known) => known !== key)].slice(0, 3);
    const timer = setTimeout(() => {
      slot.failure = new RenderPoolError('timeout', 'Rendering took too long.');
      void slot.worker.terminate();
    }, timeoutMs);
    slot.current = { ...pending, timer };
    slot.worker.ref();
    slot.worker.postMessage({ id: pending.id, job: pending.job });
  }

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      const idle = slots.filter((slot) => slot.ready && slot.current === null && slot.failure === null);
      if (idle.length === 0) {
        if (slots.length < size) spawn();
        return;
      }
      // A worker that has the document open is preferred: opening is the costly part.
      const index = Math.max(0, queue.findIndex((pending) => idle.some((slot) => slot.recent.includes(pending.job.doc.key))));
      const pending = queue.splice(index, 1)[0]!;
      const slot = idle.find((candidate) => candidate.recent.includes(pending.job.doc.key)) ?? idle[0]!;
      start(slot, pending);
    }
  }

  return {
    run(job) {
      if (closed) return Promise.reject(new RenderPoolError('closed', 'The render pool is closed.'));
      if (queue.length >= maxQueued) return Promise.reject(new RenderPoolError('busy', 'The renderer is busy.'));
      return new Promise<RenderResult>((resolve, reject) => {
        queue.push({ id: nextId++, job, resolve, reject });
        dispatch();
      });
    },
    stats: () => ({ size, started, finished: { ...finished }, queued: queue.length }),
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new RenderPoolError('closed', 'The render pool is closed.'));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
