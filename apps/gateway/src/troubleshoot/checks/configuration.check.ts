import { Check, fail, pass, skip, warn } from '../check';

const TITLE = 'Configuration is valid';

/** The same validation the gateway runs at boot, plus the CA bundle it would load. */
export const configurationCheck: Check = async ({ config, configProblems }) => {
  if (!config || configProblems.length > 0) {
    return [
      fail(
        TITLE,
        configProblems.join('\n'),
        'Correct the variables named above (see docs/configuration.md); the gateway refuses to start until then.',
      ),
    ];
  }
  return [pass(TITLE, `GitLab ${config.gitlabUrl.join(', ')}`)];
};

/** Bypass flags make the gateway accept requests nobody signed (http-api.md §1.6). */
export const authBypassCheck: Check = async ({ config }) => {
  if (!config) return [];
  const bypasses = [
    config.auth.bypassExternal && 'AIGW_AUTH__BYPASS_EXTERNAL',
    config.auth.bypassExternalWithHeader && 'AIGW_AUTH__BYPASS_EXTERNAL_WITH_HEADER',
    config.auth.bypassJwtSignature && 'AIGW_AUTH__BYPASS_JWT_SIGNATURE',
    !config.duoWorkflow.auth.enabled && 'DUO_WORKFLOW_AUTH__ENABLED=false',
  ].filter((name): name is string => Boolean(name));
  if (bypasses.length === 0) return [pass('Authentication is enforced')];
  return [
    warn(
      'Authentication is enforced',
      `Authentication is weakened by ${bypasses.join(', ')}`,
      'Use these only while troubleshooting, and remove them afterwards (docs/security.md).',
    ),
  ];
};

export const customModelsCheck: Check = async ({ config }) => {
  const title = 'Self-hosted models are enabled (AIGW_CUSTOM_MODELS__ENABLED)';
  if (!config) return [skip(title, 'the configuration does not validate')];
  if (config.customModels.enabled) return [pass(title)];
  return [
    fail(
      title,
      'AIGW_CUSTOM_MODELS__ENABLED is not true',
      'Set AIGW_CUSTOM_MODELS__ENABLED=true; without it the gateway refuses the model endpoints GitLab sends.',
    ),
  ];
};
