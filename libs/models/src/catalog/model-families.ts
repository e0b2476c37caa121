/** What a model family can be used for; names follow http-api.md §6.2's columns. */
export enum ModelUseCase {
  CodeCompletions = 'code completions',
  CodeGenerations = 'code generations',
  ChatReact = 'chat react',
  ChatSubFeatures = 'chat sub-features',
  LegacyChat = 'legacy chat',
  ModelConfigurationCheck = 'model configuration check',
}

export interface ModelFamily {
  useCases: ReadonlySet<ModelUseCase>;
  /** Stop sequences of the legacy LiteLLM paths (http-api.md §6.6). */
  legacyStop: readonly string[];
  /** Prompt token budget of the legacy completion path (http-api.md §2.4). */
  legacyInputTokenLimit: number;
}

const { CodeCompletions, CodeGenerations, ChatReact, ChatSubFeatures, LegacyChat, ModelConfigurationCheck } =
  ModelUseCase;

const CODE_MODEL = new Set([CodeCompletions, CodeGenerations, LegacyChat, ModelConfigurationCheck]);
const CHAT_MODEL = new Set([...CODE_MODEL, ChatReact, ChatSubFeatures]);
const CODEGEMMA_FIM_TOKENS = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>'];
const DEFAULT_TOKEN_LIMIT = 32_768;

function family(useCases: Set<ModelUseCase>, legacyStop: string[] = [], legacyInputTokenLimit = DEFAULT_TOKEN_LIMIT) {
  return { useCases, legacyStop, legacyInputTokenLimit };
}

/**
 * The families GitLab sends as `model_name` / `model_metadata.name` (http-api.md §6.2). `gpt` serves 7 of the 12
 * chat sub-feature prompts; which ones is the prompt registry's business. `claude_3.5` and `qwen2p5-coder-7b` are
 * only accepted names (§2.1, §3.1). `general` is GitLab 18.x's family for any other compatible model: it takes
 * every use case, served by the `base` prompts (§9.7).
 */
export const MODEL_FAMILIES: Readonly<Record<string, ModelFamily>> = {
  codestral: family(CODE_MODEL),
  mistral: family(CHAT_MODEL, ['</new_code>']),
  mixtral: family(CHAT_MODEL),
  codegemma: family(CODE_MODEL, CODEGEMMA_FIM_TOKENS, 8_192),
  codellama: family(CODE_MODEL, [], 16_384),
  deepseekcoder: family(CODE_MODEL),
  claude_3: family(CHAT_MODEL),
  gpt: family(CHAT_MODEL),
  llama3: family(new Set([ModelConfigurationCheck])),
  general: family(CHAT_MODEL),
  'claude_3.5': family(new Set([CodeGenerations, LegacyChat])),
  'qwen2p5-coder-7b': family(new Set([CodeCompletions, LegacyChat])),
};
