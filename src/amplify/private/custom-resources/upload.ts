import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';

/** The upload did not finish within the time it was given; the request was aborted. */
export class UploadTimeoutError extends Error {
  constructor(public readonly timeoutMs: number) {
    super(`the upload did not finish within ${Math.round(timeoutMs / 1000)} seconds`);
    this.name = 'UploadTimeoutError';
  }
}

/**
 * PUTs a stream of known length to a presigned URL and returns the HTTP status. The content streams through,
 * so a site larger than the function's memory deploys too; the length is sent up front because presigned
 * S3 uploads refuse chunked transfer encoding. With `timeoutMs`, a request still running then is aborted
 * with an `UploadTimeoutError`.
 */
export function putStream(url: string, body: Readable, length: number, contentType: string, timeoutMs?: number): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void) => {
      if (timer) clearTimeout(timer);
      fn();
    };
    const req = send(target, { method: 'PUT', headers: { 'Content-Type': contentType, 'Content-Length': length } }, res => {
      res.resume();
      res.on('end', () => settle(() => resolve(res.statusCode ?? 0)));
      res.on('error', err => settle(() => reject(err)));
    });
    req.on('error', err => settle(() => reject(err)));
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => {
        const err = new UploadTimeoutError(timeoutMs);
        reject(err);
        req.destroy(err);
        body.destroy();
      }, Math.max(0, timeoutMs));
    }
    pipeline(body, req).catch(err => settle(() => reject(err)));
  });
}

const NETWORK_ERRORS = ['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENOTFOUND'];

/** Whether a failed upload is worth another attempt: a network error or a server error (5xx). */
export function isTransientUploadFailure(failure: { status?: number; error?: unknown }): boolean {
  if (failure.status !== undefined) return failure.status >= 500 && failure.status <= 599;
  const err = failure.error as { code?: string; message?: string } | undefined;
  if (err instanceof UploadTimeoutError) return false;
  return NETWORK_ERRORS.includes(err?.code ?? '') || /socket hang up/i.test(err?.message ?? '');
}
