import 'reflect-metadata';
import { defaultEnv } from '../config';
import { Check } from './check';
import { runChecks } from './check-runner';
import { authBypassCheck, configurationCheck, customModelsCheck } from './checks/configuration.check';
import { gatewayHealthCheck } from './checks/gateway-health.check';
import { gitlabOidcCheck } from './checks/gitlab-oidc.check';
import { grpcHealthCheck } from './checks/grpc-health.check';
import { modelEndpointCheck } from './checks/model-endpoint.check';
import { signingKeyCheck } from './checks/signing-key.check';
import { testCompletionCheck } from './checks/test-completion.check';
import { createContext } from './troubleshoot-context';
import { parseTroubleshootOptions, USAGE, UsageError } from './troubleshoot-options';

/**
 * In order: what the gateway reads, what it talks to, then the running gateway. The gateway's own health
 * comes before the test completion, which goes through it.
 */
const CHECKS: Check[] = [
  configurationCheck,
  customModelsCheck,
  authBypassCheck,
  gitlabOidcCheck,
  signingKeyCheck,
  modelEndpointCheck,
  gatewayHealthCheck,
  grpcHealthCheck,
  testCompletionCheck,
];

/** Exit code: 0 all good, 1 some check failed, 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseTroubleshootOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  const context = createContext(options, defaultEnv());
  try {
    const failures = await runChecks(CHECKS, context, (text) => process.stdout.write(text));
    return failures === 0 ? 0 : 1;
  } finally {
    await context.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
