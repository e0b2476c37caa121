import { AppConfig, EnvRecord } from '../config';
import { HttpProbe } from './http-probe';
import { TroubleshootOptions } from './troubleshoot-options';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  status: CheckStatus;
  title: string;
  /** What was found, e.g. the error or the value seen. */
  detail?: string;
  /** What to do about it; shown for failures and warnings. */
  fix?: string;
}

export interface TroubleshootContext {
  options: TroubleshootOptions;
  env: EnvRecord;
  /** Unset when the configuration does not validate. */
  config?: AppConfig;
  /** Every problem found while loading the configuration and the CA bundle. */
  configProblems: string[];
  /** The custom CA bundle's text (SSL_CERT_FILE / REQUESTS_CA_BUNDLE), if set and readable. */
  caBundlePem?: string;
  http: HttpProbe;
  /** Set by the gateway health check; the test completion goes through the gateway. */
  gatewayReachable?: boolean;
}

/** One step of the run; it reports one or more results and may note facts for later steps in the context. */
export type Check = (context: TroubleshootContext) => Promise<CheckResult[]>;

export const pass = (title: string, detail?: string): CheckResult => ({ status: 'pass', title, detail });
export const warn = (title: string, detail: string, fix: string): CheckResult => ({
  status: 'warn',
  title,
  detail,
  fix,
});
export const fail = (title: string, detail: string, fix: string): CheckResult => ({
  status: 'fail',
  title,
  detail,
  fix,
});
export const skip = (title: string, detail: string): CheckResult => ({ status: 'skip', title, detail });
