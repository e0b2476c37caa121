import { ValidateBy } from 'class-validator';
import { readRoutesFile, RoutesFileError } from '@app/models';

function routesFileProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a file path';
  if (value === '') return undefined;
  try {
    readRoutesFile(value);
    return undefined;
  } catch (error) {
    if (!(error instanceof RoutesFileError)) throw error;
    return `is not a valid routes file: ${error.problems.join('; ')}`;
  }
}

/** The endpoint pools file: checked at boot, so that every bad line is named before the gateway starts. */
export const RoutesFile = () =>
  ValidateBy({
    name: 'isRoutesFile',
    validator: {
      validate: (value) => routesFileProblem(value) === undefined,
      defaultMessage: (args) => routesFileProblem(args?.value) ?? 'is invalid',
    },
  });
