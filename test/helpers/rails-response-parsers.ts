/**
 * How GitLab Rails reads the answers of some prompts it calls through `/v1/prompts` (gitlab-org/gitlab,
 * `ee/lib/gitlab/llm/…`), ported so that specs can check a prompt asks for a reply Rails can use.
 */

/**
 * `Chain::Tools::Identifier#extract_json` (the chat readers): Rails prepends the start of the JSON object to
 * the model's reply, cuts at `Question:`, and parses what lies between the first ```` ```json ```` and the next ```` ``` ````.
 */
export function railsReaderJson(reply: string): Record<string, unknown> {
  let text = '```json\n                  {\n                    "ResourceIdentifierType": "' + reply;
  const question = text.search(/Question:/);
  if (question >= 0) text = text.slice(0, question);
  const afterTicks = text.trim().split('```json').slice(1).join('```json');
  return JSON.parse(afterTicks.split('```')[0].trim()) as Record<string, unknown>;
}

/**
 * `AiGateway::Completions::ReviewMergeRequest::ResponseBodyParser#comments`: the last `<review>` block, one
 * `<comment key="value" …>` element per match, opening at a line start and closing at a line end.
 */
export function railsReviewComments(response: string): Array<Record<string, string>> {
  const review = [...response.matchAll(/<review>[\s\S]*?<\/review>/g)].at(-1)?.[0] ?? '';
  return [...review.matchAll(/^<comment ([\s\S]+?)>\n?([\s\S]+?)<\/comment>$/gm)].map(([, attributes, body]) => ({
    ...Object.fromEntries([...attributes.matchAll(/(\S*?)="(.*?)"/g)].map(([, key, value]) => [key, value])),
    body,
  }));
}
