/** The code-suggestion use cases a model name is checked against (http-api.md §2.1). */
export enum ModelUseCase {
  CodeCompletions = 'code completions',
  CodeGenerations = 'code generations',
}

export interface ModelFamily {
  /** Prompt families tried in order before `base` (gitlab-versions.md §2). */
  promptFamilies: readonly string[];
  /** Stop sequences of the legacy LiteLLM paths (http-api.md §6.6). */
  legacyStop: readonly string[];
  /** Prompt token budget of the legacy completion path (http-api.md §2.4). */
  legacyInputTokenLimit: number;
}

const CODEGEMMA_FIM_TOKENS = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'];
const DEFAULT_TOKEN_LIMIT = 32_768;
/** Any OpenAI-compatible model's prompts (gitlab-versions.md §2). */
const LITELLM = 'litellm';

function family(
  promptFamilies: string[],
  legacyStop: string[] = [],
  legacyInputTokenLimit = DEFAULT_TOKEN_LIMIT,
): ModelFamily {
  return { promptFamilies, legacyStop, legacyInputTokenLimit };
}

/**
 * The self-hosted model ids GitLab sends as `model_name` / `model_metadata.name` (gitlab-versions.md §2, §3).
 * `general` is GitLab 18.x's "Self-Hosted General Models": any OpenAI-compatible model, served by the `litellm`
 * prompts; an unknown name is served as `general`.
 */
export const MODEL_FAMILIES: Readonly<Record<string, ModelFamily>> = {
  codestral: family(['codestral', 'mistral', LITELLM]),
  'codestral-2501': family(['codestral-2501', LITELLM]),
  'codestral-2508': family(['codestral-2508', LITELLM]),
  mistral: family(['mistral', LITELLM], ['</new_code>']),
  mixtral: family(['mixtral', 'mistral', LITELLM]),
  codegemma: family(['codegemma', LITELLM], CODEGEMMA_FIM_TOKENS, 8_192),
  codellama: family(['codellama', LITELLM], [], 16_384),
  deepseekcoder: family(['deepseekcoder', LITELLM]),
  gpt: family(['gpt', LITELLM]),
  llama3: family(['llama3', LITELLM]),
  'qwen2p5-coder-7b': family(['qwen2p5-coder-7b', LITELLM]),
  claude_3: family(['claude_3']),
  general: family([LITELLM]),
};

/** The name an unknown or missing model is served as. */
export const GENERAL_MODEL = 'general';

export function isKnownModel(name: string | null | undefined): boolean {
  return typeof name === 'string' && Object.hasOwn(MODEL_FAMILIES, name);
}

/** Prompt families for `name`, tried in order before `base`; an unknown name resolves as `general`. */
export function promptFamiliesOf(name: string | null | undefined): readonly string[] {
  return MODEL_FAMILIES[isKnownModel(name) ? name! : GENERAL_MODEL].promptFamilies;
}
