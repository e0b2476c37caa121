import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IncomingMessage } from 'node:http';

const SESSION_COOKIE = 'aigw_admin';
const SESSION_TTL_MS = 12 * 3600_000;
const MAX_SESSIONS = 1000;
const FAILURE_WINDOW_MS = 60_000;
const MAX_FAILURES_PER_WINDOW = 10;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The admin token and the sessions its holders opened. Tokens are compared in constant time (over their
 * SHA-256, so the length does not leak either); a session is a random id, never the token itself.
 */
export class AdminSessions {
  private readonly tokenDigest: Buffer;
  private readonly sessions = new Map<string, number>();
  private failures: number[] = [];

  constructor(token: string) {
    this.tokenDigest = digest(token);
  }

  isToken(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  /** Too many wrong tokens in the last minute: logins are refused for a while. */
  get lockedOut(): boolean {
    const since = Date.now() - FAILURE_WINDOW_MS;
    this.failures = this.failures.filter((at) => at > since);
    return this.failures.length >= MAX_FAILURES_PER_WINDOW;
  }

  noteFailure(): void {
    this.failures.push(Date.now());
  }

  open(): string {
    const now = Date.now();
    for (const [id, expires] of this.sessions) if (expires <= now) this.sessions.delete(id);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, now + SESSION_TTL_MS);
    return id;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** A bearer admin token, or the cookie of a live session. GitLab tokens are never either. */
  isAuthorised(request: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return this.isToken(bearer.trim());
    const session = sessionOf(request);
    const expires = session ? this.sessions.get(session) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  cookie(id: string, secure: boolean): string {
    const flags = `Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${SESSION_TTL_MS / 1000}`;
    return `${SESSION_COOKIE}=${id}; ${flags}${secure ? '; Secure' : ''}`;
  }
}

export function sessionOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}
