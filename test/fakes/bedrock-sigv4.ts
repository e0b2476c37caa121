import { createHash, createHmac } from 'node:crypto';
import { RecordedRequest } from '@gitlab-ai-gateway/provider-api/testing';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/**
 * Why AWS would refuse this request's SigV4 signature, or `undefined` when it is valid for `credentials` and
 * the `bedrock` service: header shape, credential scope, signed headers, then the signature itself.
 */
export function sigV4Problem(request: RecordedRequest, credentials: SigV4Credentials): string | undefined {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? ''));
  if (!match) return 'Authorization header is not AWS4-HMAC-SHA256';
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match;
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (accessKeyId !== credentials.accessKeyId) return `unknown access key ${accessKeyId}`;
  if (region !== credentials.region || service !== 'bedrock') return `wrong scope ${region}/${service}`;
  if (!amzDate.startsWith(date)) return 'x-amz-date does not match the credential scope';
  const names = signedHeaders.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const expected = sign(request, names, `${date}/${region}/${service}/aws4_request`, amzDate, credentials);
  return expected === signature ? undefined : 'signature does not match';
}

function sign(
  request: RecordedRequest,
  names: string[],
  scope: string,
  amzDate: string,
  credentials: SigV4Credentials,
): string {
  const canonicalHeaders = names
    .map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.path.split('/').map(escape).join('/'),
    canonicalQuery(request.query),
    canonicalHeaders,
    names.join(';'),
    String(request.headers['x-amz-content-sha256'] ?? sha256(request.rawBody)),
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = scope
    .split('/')
    .reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${credentials.secretAccessKey}`);
  return hmac(key, stringToSign).toString('hex');
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .map(([name, value]) => `${escape(name)}=${escape(value)}`)
    .sort()
    .join('&');
}

/** Segments arrive percent-encoded once; SigV4 (non-S3) encodes them again. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
