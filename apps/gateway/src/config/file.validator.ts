import { createPrivateKey, X509Certificate } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValidateBy } from 'class-validator';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'the file is not readable by the gateway (permission denied)',
  EISDIR: 'is a directory, not a file',
};

/** The file's text, or why it cannot be read, in words an operator can act on. */
function readText(path: string): { text: string } | { problem: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return { problem: REASONS[code] ?? `cannot be read (${code || String(error)})` };
  }
}

function certificateProblem(value: unknown, whenEmpty: string): string | undefined {
  if (typeof value !== 'string') return 'must be a file path';
  if (value.trim() === '') return whenEmpty;
  const read = readText(value);
  if ('problem' in read) return read.problem;
  const certificates = read.text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  for (const certificate of certificates) {
    try {
      new X509Certificate(certificate);
    } catch (error) {
      return `holds a certificate that does not parse (${(error as Error).message})`;
    }
  }
  return undefined;
}

function privateKeyProblem(value: unknown, whenEmpty: string): string | undefined {
  if (typeof value !== 'string') return 'must be a file path';
  if (value.trim() === '') return whenEmpty;
  const read = readText(value);
  if ('problem' in read) return read.problem;
  try {
    createPrivateKey(read.text);
    return undefined;
  } catch {
    return 'holds no PEM private key';
  }
}

const fileRule = (name: string, problemOf: (value: unknown) => string | undefined) =>
  ValidateBy({
    name,
    validator: {
      validate: (value) => problemOf(value) === undefined,
      defaultMessage: (args) => problemOf(args?.value) ?? 'is invalid',
    },
  });

/**
 * A readable file of PEM certificates (a CA bundle, a certificate chain): checked at boot, so a wrong path is
 * one line of the configuration error instead of an `ENOENT` stack when the file is first used.
 */
export const PemCertificateFile = (whenEmpty = 'must name a file') =>
  fileRule('isPemCertificateFile', (value) => certificateProblem(value, whenEmpty));

/** A readable file holding a PEM private key. */
export const PrivateKeyFile = (whenEmpty = 'must name a file') =>
  fileRule('isPrivateKeyFile', (value) => privateKeyProblem(value, whenEmpty));

/** Where a log file can be written: the file itself, or the nearest existing folder it would be created in. */
function writableProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a file path';
  if (value === '') return undefined;
  let target = resolve(value);
  if (existsSync(target) && statSync(target).isDirectory()) return 'is a directory, not a file';
  while (!existsSync(target)) target = dirname(target);
  try {
    accessSync(target, constants.W_OK);
    return undefined;
  } catch {
    return `cannot be written by the gateway (${target} is not writable)`;
  }
}

/** A file the gateway creates or appends to (a log file); empty: none. */
export const WritableFile = () => fileRule('isWritableFile', writableProblem);
