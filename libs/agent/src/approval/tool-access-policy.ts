export interface ToolAccess {
  /** Tools that run without asking. */
  preapproved: string[];
  /** Tools removed from every toolset. */
  deny: ReadonlySet<string>;
}

const listOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * The `tool_access_policies` JWT claim (`{"allow":[…],"deny":[…],"ask"?:[…]}`, as JSON or JSON text) over the
 * client's `preapproved_tools` (§6.3): any non-empty list makes `allow` replace them, `deny` removes tools,
 * and an unparsable claim clears the pre-approvals (fail closed).
 */
export function toolAccessOf(claim: unknown, clientPreapproved: readonly string[]): ToolAccess {
  if (claim === undefined || claim === null || claim === '')
    return { preapproved: [...clientPreapproved], deny: new Set() };
  let policy: unknown = claim;
  if (typeof claim === 'string') {
    try {
      policy = JSON.parse(claim);
    } catch {
      return { preapproved: [], deny: new Set() };
    }
  }
  if (!policy || typeof policy !== 'object' || Array.isArray(policy)) return { preapproved: [], deny: new Set() };
  const { allow, deny, ask } = policy as Record<string, unknown>;
  const denied = new Set(listOf(deny));
  const governed = listOf(allow).length + denied.size + listOf(ask).length > 0;
  return { preapproved: governed ? listOf(allow) : [...clientPreapproved], deny: denied };
}
