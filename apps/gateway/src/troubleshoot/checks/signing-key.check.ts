import { createPrivateKey, KeyObject } from 'node:crypto';
import { buildConfigTree } from '../../config';
import { Check, fail, pass } from '../check';

const VARIABLE = 'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY';
const TITLE = `Agent Platform signing key (${VARIABLE})`;
const GENERATE = `Generate one with \`openssl genrsa 2048\` and pass the PEM in ${VARIABLE} (literal \\n line breaks are accepted).`;
const MIN_BITS = 2048;

/**
 * Read from the raw environment rather than the validated config, so a missing or broken key is named even
 * when some other variable keeps the configuration from validating.
 */
export const signingKeyCheck: Check = async ({ env }) => {
  const { tree } = buildConfigTree(env);
  const raw = (tree.duoWorkflow as { selfSignedJwt?: { signingKey?: unknown } } | undefined)?.selfSignedJwt?.signingKey;
  const pem = typeof raw === 'string' ? raw.replace(/\\n/g, '\n').trim() : '';
  if (pem === '') return [fail(TITLE, 'not set', GENERATE)];

  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    return [fail(TITLE, `not a private key in PEM format (${(error as Error).message})`, GENERATE)];
  }
  if (key.asymmetricKeyType !== 'rsa') return [fail(TITLE, `a ${key.asymmetricKeyType} key, not RSA`, GENERATE)];
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_BITS) return [fail(TITLE, `an RSA key of ${bits} bits; at least ${MIN_BITS} are needed`, GENERATE)];
  return [pass(TITLE, `RSA, ${bits} bits`)];
};
