import { ConfigValidationError, loadAppConfig } from '../../apps/gateway/src/config/load-config';

/** The problems boot would name for `env` (one per bad variable); none when the configuration is accepted. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}
