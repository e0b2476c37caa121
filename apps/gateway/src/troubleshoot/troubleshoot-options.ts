import { parseArgs } from 'node:util';

export interface TroubleshootOptions {
  /** Base URL of the gateway's HTTP API, e.g. `http://localhost:5052`. */
  endpoint: string;
  /** `host:port` of the Agent Platform gRPC service. */
  grpcEndpoint: string;
  /** `true` for `grpcs://`, `false` for `grpc://`, unset: follow `DUO_WORKFLOW_TLS__ENABLED`. */
  grpcTls?: boolean;
  modelName?: string;
  modelEndpoint?: string;
  modelIdentifier?: string;
  modelKey?: string;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run troubleshoot -- [options]
   or: node dist/apps/gateway/troubleshoot.js [options]

Checks this gateway's configuration, its connections to GitLab and to a self-hosted model,
and the running gateway itself. Run it with the gateway's environment (for example inside
its container) so it sees the same variables.

  --model-name <family>        model family as chosen in GitLab: codestral, mistral, mixtral,
                               codegemma, codellama, deepseekcoder, claude_3, gpt
                               (alias --model-family)
  --model-endpoint <url>       the model's OpenAI-compatible base URL, e.g. http://vllm:8000/v1
  --model-identifier <id>      e.g. custom_openai/Mixtral-8x7B-Instruct-v0.1
  --model-key <key>            the model server's API key (alias --api-key)
  --endpoint <host:port|url>   the gateway's HTTP API (default localhost:5052)
  --grpc-endpoint <host:port>  the Agent Platform service (default localhost:50052);
                               grpcs://host:port for TLS
  -h, --help                   show this help
`;

/** Flags as upstream's `troubleshoot` script and GitLab's docs spell them (http-api.md §8). */
export function parseTroubleshootOptions(argv: string[]): TroubleshootOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        'model-name': { type: 'string' },
        'model-family': { type: 'string' },
        'model-endpoint': { type: 'string' },
        'model-identifier': { type: 'string' },
        'model-key': { type: 'string' },
        'api-key': { type: 'string' },
        endpoint: { type: 'string', default: 'localhost:5052' },
        'grpc-endpoint': { type: 'string', default: 'localhost:50052' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';

  const grpc = /^(grpcs?):\/\/(.+)$/.exec(values['grpc-endpoint']);
  return {
    endpoint: withScheme(values.endpoint),
    grpcEndpoint: grpc ? grpc[2] : values['grpc-endpoint'],
    grpcTls: grpc ? grpc[1] === 'grpcs' : undefined,
    modelName: values['model-name'] ?? values['model-family'],
    modelEndpoint: values['model-endpoint'],
    modelIdentifier: values['model-identifier'],
    modelKey: values['model-key'] ?? values['api-key'],
  };
}

const withScheme = (endpoint: string) =>
  (/^https?:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`).replace(/\/+$/, '');
