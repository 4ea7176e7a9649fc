import { callFailed, CallContext, withConflictRetry } from './session';
import { ActionableError, errorName } from '../../../core/runtime/handler';

/** What a create finds where it creates: the thing, whether it is as asked, and how to get past it. */
export interface Found<T> {
  /** What the caller needs of it (a project's name, say). */
  readonly value: T;
  /** It, for messages, e.g. `project 'web'`. */
  readonly name: string;
  /** Whether it has exactly what the request asks for. */
  readonly asAsked: boolean;
  /** The commands to delete it, and the import that uses it instead. */
  readonly wayOut: string;
}

/** A create through an API that takes no idempotency token (CreateProject, CreateSourceRepository). */
export interface CreateOnce<T> {
  /** For messages: what the create does, and what it creates. */
  readonly context: CallContext;
  /** The thing as it is now, or undefined when there is none. */
  readonly find: () => Promise<Found<T> | undefined>;
  readonly create: () => Promise<T>;
  /** This request has just found no such thing (skips the first look). @default false */
  readonly knownAbsent?: boolean;
}

/** Errors of a request whose response was lost after the service may have carried it out: a time-out, a dropped connection, a 5xx. */
const LOST_RESPONSE_NAMES = ['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'];
const LOST_RESPONSE_CODES = ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'];

/**
 * Whether a failed call may have been carried out: the SDK retried an earlier attempt (its error counts the attempts;
 * it retries only transient errors, a lost response among them), or the last attempt's own response was lost.
 */
export function mayHaveCommitted(err: unknown): boolean {
  const e = err as { code?: string; $metadata?: { attempts?: number; httpStatusCode?: number } } | undefined;
  return (e?.$metadata?.attempts ?? 1) > 1
    || LOST_RESPONSE_NAMES.includes(errorName(err))
    || LOST_RESPONSE_CODES.includes(e?.code ?? '')
    || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * Creates a named thing with an API that takes no idempotency token, so that a lost response never leaves an orphan
 * that fails every later deployment with "exists already", and nothing someone else made is ever taken for the stack's.
 *
 * - A thing that exists before the request fails it at once, with the commands to delete it or to use it instead.
 * - A create that may have been carried out although it failed (a lost response: the SDK's retry then meets a
 *   conflict, or every attempt timed out) looks again. What it finds was made by this request when it did not exist
 *   as the request began (the first look), the request may have created it, and it has exactly what the request asked
 *   for: it is taken. Anything else fails with how to delete or use it. The one case this cannot tell apart is someone
 *   else creating the same name, with the same settings, in the seconds the create ran.
 * - A conflict while no such thing exists is another change in progress: retried with backoff (`withConflictRetry`).
 */
export async function createOnce<T>(c: CreateOnce<T>): Promise<T> {
  const before = c.knownAbsent ? undefined : await look(c);
  if (before) throw notThisStacks(c.context, before);
  let mayHaveCreated = false;
  try {
    return await withConflictRetry(async () => {
      try {
        return await c.create();
      } catch (err) {
        mayHaveCreated ||= mayHaveCommitted(err);
        if (errorName(err) !== 'ConflictException' && !mayHaveCommitted(err)) throw err;
        const found = await look(c);
        // None: a conflict is another change in progress (retried), anything else fails as it is.
        if (!found) throw err;
        if (!mayHaveCreated || !found.asAsked) throw notThisStacks(c.context, found);
        console.log(`${found.name} did not exist when this request began and is as it asked: the request created it, and its response was lost; `
          + 'taking it');
        return found.value;
      }
    });
  } catch (err) {
    if (err instanceof ActionableError) throw err;
    throw callFailed(err, c.context);
  }
}

async function look<T>(c: CreateOnce<T>): Promise<Found<T> | undefined> {
  try {
    return await c.find();
  } catch (err) {
    throw callFailed(err, { ...c.context, what: `${c.context.what} (looking for one that exists)` });
  }
}

function notThisStacks(context: CallContext, found: Found<unknown>): ActionableError {
  return new ActionableError(context.what, context.subject, `${found.name} exists already, and this stack did not create it`, found.wayOut);
}
