import { createPrivateKey } from 'node:crypto';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

function isRsaPrivateKeyPem(value: unknown): boolean {
  if (value === '') return true;
  if (typeof value !== 'string') return false;
  try {
    return createPrivateKey(value).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * Empty, or an RSA private key in PEM form. Literal `\n` sequences become newlines, so a key can sit on
 * one line of an env file.
 */
export const RsaPrivateKeyPem = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.replace(/\\n/g, '\n').trim() : value)),
    ValidateBy({
      name: 'isRsaPrivateKeyPem',
      validator: {
        validate: isRsaPrivateKeyPem,
        defaultMessage: () => 'must be an RSA private key in PEM format',
      },
    }),
  );
