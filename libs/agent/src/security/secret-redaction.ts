export const REDACTED = '[REDACTED]';

/**
 * Credentials with a recognisable shape. Each pattern matches the whole secret, so the text around it stays
 * intact; none matches git SHAs, UUIDs or checksums.
 */
const TOKEN_PATTERNS: ReadonlyArray<RegExp> = [
  // PEM private keys (RSA, EC, OPENSSH, DSA, PGP, encrypted PKCS#8), whole block.
  /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----/g,
  // GitLab personal, project, group, deploy, runner, CI job, feed, incoming mail, SCIM, OAuth tokens.
  /\b(?:glpat|gldt|glrt|glptt|glcbt|glft|glimt|glsoat|glagent|gloas|glwt|glffct)-[A-Za-z0-9_-]{20,}/g,
  /\bGR1348941[A-Za-z0-9_-]{20,}/g,
  // GitHub tokens.
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  // AWS access key ids.
  /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}/g,
  // OpenAI, Anthropic and similar `sk-` keys.
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g,
  // Slack, Stripe, npm, PyPI, SendGrid, Twilio, Google API keys.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bpypi-AgE[A-Za-z0-9_-]{50,}/g,
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g,
  /\bSK[0-9a-f]{32}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
];

/** `scheme://user:password@host`: only the password goes. Quantifiers are bounded: tool output can be megabytes. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,15}:\/\/[^\s:/@]{1,256}:)([^\s/@]{1,256})(@)/gi;

/**
 * An assignment to a secret-named key (`password = "x"`, `api_key: x`, `"client_secret": "x"`,
 * `DB_PASSWORD=x`): only the value goes, and only where it is assigned, as the same text elsewhere may be the
 * secret's name. The key words follow detect-secrets' keyword list; bounded quantifiers keep it linear.
 */
const KEYWORD_ASSIGNMENT =
  /((?:password|passwd|pwd|secret|api[_-]?key|apikey|auth[_-]?key|private[_-]?key|client[_-]?key|access[_-]?key)[A-Za-z0-9_.-]{0,40}["']?\s{0,5}(?:=>|=|:)\s{0,5})(["']?)([^\s"'`,;\\]{6,512})\2/gi;

/** Values that are not secrets: references, placeholders, booleans, numbers. */
const NOT_A_SECRET = /^(?:\$\{?[A-Za-z_]|<|\[REDACTED\]|(?:true|false|null|none|undefined|changeme)$|\*+$|x+$|\d+$)/i;

/**
 * The text with credentials replaced by `[REDACTED]`: private keys, access tokens of common services, JWTs,
 * passwords in URLs, and values assigned to secret-named keys (agent-platform.md §6.5: secrets are redacted
 * from what the UI shows and what checkpoints store).
 */
export function redactSecrets(text: string): string {
  if (text === '') return text;
  let result = text;
  for (const pattern of TOKEN_PATTERNS) result = result.replace(pattern, REDACTED);
  result = result.replace(URL_CREDENTIALS, (_, head: string, password: string, at: string) =>
    password === REDACTED ? `${head}${password}${at}` : `${head}${REDACTED}${at}`,
  );
  return result.replace(KEYWORD_ASSIGNMENT, (match, head: string, quote: string, value: string) =>
    NOT_A_SECRET.test(value) ? match : `${head}${quote}${REDACTED}${quote}`,
  );
}

/** Every string inside a JSON value redacted; keys and other values unchanged. */
export function redactSecretsDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map(redactSecretsDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactSecretsDeep(item)])) as T;
  }
  return value;
}
