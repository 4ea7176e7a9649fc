import { Readable } from 'stream';
import { GetObjectCommand, GetObjectCommandInput } from '@aws-sdk/client-s3';
import { AwsStub } from 'aws-sdk-client-mock';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

/** The CDK assets bucket: GetObject of what `cdk deploy` uploaded (NoSuchKey otherwise), authorised on the object ARN. */
export class FakeS3 extends FakeService {
  public readonly objects = new Map<string, Buffer>();

  constructor(clock: VirtualClock) {
    super('S3', clock, { throttling: 'SlowDown', accessDenied: 'AccessDenied', validation: 'InvalidRequest', notFound: 'NoSuchKey' }, undefined);
  }

  public put(bucket: string, key: string, body: Buffer | string): void {
    this.objects.set(`${bucket}/${key}`, Buffer.from(body));
  }

  public snapshot(): unknown {
    return [...this.objects.keys()];
  }

  /** A body like the SDK's in Lambda: a Node.js stream with the SDK's `transformToByteArray`. */
  public getObject(input: GetObjectCommandInput) {
    this.admit('GetObject', input, 's3:GetObject', `arn:aws:s3:::${input.Bucket}/${input.Key}`, false);
    const body = this.objects.get(`${input.Bucket}/${input.Key}`);
    if (!body) throw awsError('NoSuchKey', 'The specified key does not exist.');
    const stream = Object.assign(Readable.from([body]), { transformToByteArray: async () => new Uint8Array(body) });
    return { Body: stream, ContentLength: body.length };
  }

  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, GetObjectCommand, input => this.getObject(input));
    return this;
  }
}
