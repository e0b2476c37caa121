import { AppError, ErrorCode } from '@app/common';

/**
 * Checks an upstream endpoint before any request goes there: http(s) only, no credentials in the URL, and,
 * when `allowList` is not empty, a match for one of its entries (an origin such as `https://llm.internal`, or
 * a URL prefix such as `https://llm.internal/v1/`). Throws `InvalidInput` naming `field`.
 */
export function validateModelEndpoint(url: string, allowList: readonly string[], field = 'model_endpoint'): void {
  const parsed = parseUrl(url, field);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalid(field, 'must use http or https');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalid(field, 'must not contain credentials');
  }
  if (allowList.length > 0 && !allowList.some((entry) => isAllowedBy(parsed, entry))) {
    throw invalid(field, 'is not in the allowed model endpoints');
  }
}

function parseUrl(url: string, field: string): URL {
  try {
    return new URL(url);
  } catch {
    throw invalid(field, 'must be a valid URL');
  }
}

function isAllowedBy(url: URL, entry: string): boolean {
  const allowed = URL.canParse(entry) ? new URL(entry) : undefined;
  if (!allowed || allowed.origin !== url.origin) return false;
  // `/v1` and `/v1/` allow the same: the registry paths strip one trailing slash before checking.
  const base = allowed.pathname.replace(/\/+$/, '');
  return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
}

const invalid = (field: string, rule: string) => new AppError(ErrorCode.InvalidInput, `${field} ${rule}`);
