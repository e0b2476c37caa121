import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { OutboundHttp } from '@app/common';
import { AppConfig, buildConfigTree, ConfigValidationError, EnvRecord, loadAppConfig } from '../config';
import { TroubleshootContext } from './check';
import { HttpProbe } from './http-probe';
import { TroubleshootOptions } from './troubleshoot-options';

export interface OwnedContext extends TroubleshootContext {
  close(): Promise<void>;
}

/** Loads the configuration the way the gateway does and sets up an HTTP client with the same CA bundle. */
export function createContext(options: TroubleshootOptions, env: EnvRecord): OwnedContext {
  const configProblems: string[] = [];
  let config: AppConfig | undefined;
  try {
    config = loadAppConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    configProblems.push(...error.problems);
  }

  const { tree, sources } = buildConfigTree(env);
  const caBundleFile = typeof tree.caBundleFile === 'string' ? tree.caBundleFile : '';
  const caVariable = sources.get('caBundleFile') ?? 'SSL_CERT_FILE';
  const caBundle = caBundleFile ? readCaBundle(caBundleFile, caVariable) : {};
  // The configuration check already names a bad bundle file; say it once.
  if (caBundle.problem && !configProblems.some((problem) => problem.startsWith(`${caVariable}:`))) {
    configProblems.push(caBundle.problem);
  }

  const outbound = new OutboundHttp({
    caBundleFile: caBundle.pem ? caBundleFile : '',
    maxConnectionsPerOrigin: 4,
    connectTimeoutS: 10,
    readTimeoutS: 90,
    keepAliveTimeoutS: 1,
    proxy: config?.proxy,
  });
  return {
    options,
    env,
    config,
    configProblems,
    caBundlePem: caBundle.pem,
    http: new HttpProbe(outbound.dispatcher),
    close: () => outbound.onApplicationShutdown(),
  };
}

/** The gateway would fail to start on an unreadable bundle; say so here, with the variable's name. */
function readCaBundle(file: string, variable: string): { pem?: string; problem?: string } {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    return {
      problem: `${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    };
  }
  try {
    new X509Certificate(pem);
  } catch {
    return { problem: `${variable}: ${file} holds no PEM certificate` };
  }
  return { pem };
}
