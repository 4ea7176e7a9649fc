import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';

/**
 * PUTs a stream of known length to a presigned URL and returns the HTTP status. The content streams through,
 * so a site larger than the function's memory deploys too; the length is sent up front because presigned
 * S3 uploads refuse chunked transfer encoding.
 */
export function putStream(url: string, body: Readable, length: number, contentType: string): Promise<number> {
  const target = new URL(url);
  const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'PUT', headers: { 'Content-Type': contentType, 'Content-Length': length } }, res => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    pipeline(body, req).catch(reject);
  });
}
