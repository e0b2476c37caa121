/**
 * Text clean-up for GitLab's documentation Markdown (GLFM with Hugo shortcodes): what a reader (the model) is
 * shown, and the plain words the full-text index holds.
 */

/** Shortcodes whose whole body is dropped: version history notes are noise for search. */
const DROPPED_BLOCKS = ['history'];

const SHORTCODE = /\{\{[<%]\s*(\/?)\s*([\w-]+)([^}]*?)[>%]\}\}/g;
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

/**
 * Removes Hugo shortcode tags (`{{< tabs >}}`, `{{% alert %}}`, `{{< icon … >}}`), keeping what they wrap; a tab's
 * title stays as a bold line, since it names what the tab is for ("Linux package", "Helm chart").
 */
export function stripShortcodes(markdown: string): string {
  let text = markdown;
  for (const name of DROPPED_BLOCKS) {
    const block = new RegExp(
      `\\{\\{[<%]\\s*${name}\\b[^}]*[>%]\\}\\}[\\s\\S]*?\\{\\{[<%]\\s*/\\s*${name}\\s*[>%]\\}\\}`,
      'g',
    );
    text = text.replace(block, '');
  }
  return text.replace(HTML_COMMENT, '').replace(SHORTCODE, (_tag, closing: string, name: string, args: string) => {
    const title = /title="([^"]*)"/.exec(args)?.[1];
    return name === 'tab' && !closing && title ? `**${title}**` : '';
  });
}

/**
 * Legacy GLFM markers that carry no meaning for a reader of plain text: `DETAILS:` / `NOTE:` labels, tier badges
 * `**(PREMIUM SELF)**`, `{::options …}` directives, GitHub-style alert markers `> [!note]`.
 */
export function stripLegacyMarkers(markdown: string): string {
  return markdown
    .replace(/^\{::[^}]*\}\s*$/gm, '')
    .replace(/\*\*\((?:FREE|PREMIUM|ULTIMATE|EXPERIMENT|BETA)[^)]*\)\*\*/g, '')
    .replace(/^>\s*\[!(?:note|tip|important|warning|caution|flag|disclaimer)\]\s*$/gim, '>')
    .replace(/^(DETAILS|NOTE|WARNING|FLAG|DISCLAIMER|INFO):\s*/gm, '');
}

/** Markdown inline syntax to words: links and images keep their text, code keeps its content, HTML tags go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[`*_~|>#]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A heading's text without its explicit id, tier badge or inline Markdown. */
export function headingText(raw: string): string {
  return plainText(stripLegacyMarkers(raw.replace(/\{#[^}]*\}\s*$/, '')));
}

/**
 * The anchor docs.gitlab.com gives a heading: an explicit `{#id}`, else the text lower-cased, punctuation other
 * than `-` and `_` removed and spaces turned into hyphens (Hugo's `github` style).
 */
export function headingAnchor(raw: string): string {
  const explicit = /\{#([^}\s]+)\}\s*$/.exec(raw);
  if (explicit) return explicit[1];
  return headingText(raw)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Word count as upstream's token estimate counts words (whitespace-separated). */
export const wordCount = (text: string) => text.split(/\s+/).filter((word) => word !== '').length;
