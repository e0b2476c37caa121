import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { headingAnchor, headingText, plainText, stripLegacyMarkers, stripShortcodes, wordCount } from './markdown-text';

/** One searchable piece of a page: the text under one heading (long ones in several parts). */
export interface DocSection {
  /** The page title for the text above the first heading. */
  heading: string;
  /** `''` for the top of the page. */
  anchor: string;
  /** The headings above this one, outermost first, then its own. */
  trail: string[];
  /** Markdown shown to the reader, starting with the heading line. */
  content: string;
  /** The words of the body, for the index. */
  text: string;
}

export interface DocPage {
  /** `/user/project/index.md`: the path below the `doc/` folder, as upstream's result ids. */
  path: string;
  title: string;
  /** Of the page file as read. */
  md5sum: string;
  sections: DocSection[];
}

interface Block {
  level: number;
  rawHeading: string;
  lines: string[];
}

const FRONT_MATTER = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;
const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;
/**
 * Longer sections are cut at paragraph boundaries, so that several results fit the 8,000-token budget of a
 * search answer (http-api.md §4.2) and a long reference table does not crowd out everything else.
 */
export const MAX_SECTION_WORDS = 600;

export function parsePage(path: string, markdown: string): DocPage {
  const md5sum = createHash('md5').update(markdown).digest('hex');
  const { body, title: frontMatterTitle } = splitFrontMatter(markdown.replace(/\r\n?/g, '\n'));
  const [top, ...blocks] = headingBlocks(stripLegacyMarkers(stripShortcodes(body)));
  // The first H1 is the page title (older pages have no `title:` front matter); its text joins the top section.
  const h1 = blocks[0]?.level === 1 && !top.lines.some((line) => line.trim() !== '') ? blocks.shift() : undefined;
  const title = frontMatterTitle ?? (h1 && headingText(h1.rawHeading)) ?? basename(path, '.md');
  const topBlock = { level: 1, rawHeading: '', lines: [...top.lines, ...(h1?.lines ?? [])] };
  const sections = [...sectionsOf(topBlock, title, [], ''), ...nestedSections(blocks)];
  return { path, title, md5sum, sections };
}

function nestedSections(blocks: Block[]): DocSection[] {
  const trail: Array<{ level: number; heading: string }> = [];
  const anchors = new Map<string, number>();
  return blocks.flatMap((block) => {
    while (trail.length > 0 && trail[trail.length - 1].level >= block.level) trail.pop();
    const heading = headingText(block.rawHeading);
    trail.push({ level: block.level, heading });
    const anchor = uniqueAnchor(anchors, headingAnchor(block.rawHeading));
    return sectionsOf(
      block,
      heading,
      trail.map((entry) => entry.heading),
      anchor,
    );
  });
}

function sectionsOf(block: Block, heading: string, trail: string[], anchor: string): DocSection[] {
  const headingLine = `${'#'.repeat(block.level)} ${heading}`;
  return paragraphGroups(block.lines).map((body) => ({
    heading,
    anchor,
    trail,
    content: `${headingLine}\n\n${body}`,
    text: plainText(body),
  }));
}

/** The block's body in parts of at most {@link MAX_SECTION_WORDS} words; none when it has no words. */
function paragraphGroups(lines: string[]): string[] {
  const groups: string[][] = [];
  let current: string[] = [];
  let words = 0;
  for (const paragraph of paragraphs(lines)) {
    for (const piece of splitLongParagraph(paragraph)) {
      const count = wordCount(plainText(piece));
      if (words > 0 && words + count > MAX_SECTION_WORDS) {
        groups.push(current);
        current = [];
        words = 0;
      }
      current.push(piece);
      words += count;
    }
  }
  groups.push(current);
  return groups.map((group) => group.join('\n\n').trim()).filter((body) => wordCount(plainText(body)) > 0);
}

/** Blank-line separated paragraphs; a fenced code block stays whole. */
function paragraphs(lines: string[]): string[] {
  const result: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const marker = FENCE.exec(line)?.[1];
    if (marker && (!fence || marker.startsWith(fence))) fence = fence ? undefined : marker;
    if (!fence && line.trim() === '') {
      if (current.length > 0) result.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) result.push(current.join('\n'));
  return result;
}

function splitLongParagraph(paragraph: string): string[] {
  const words = paragraph.split(/(?<=\s)/);
  if (wordCount(paragraph) <= MAX_SECTION_WORDS) return [paragraph];
  const pieces: string[] = [];
  for (let start = 0; start < words.length; start += MAX_SECTION_WORDS) {
    pieces.push(words.slice(start, start + MAX_SECTION_WORDS).join(''));
  }
  return pieces;
}

/** Text before the first heading (level 0), then one block per ATX heading outside code fences. */
function headingBlocks(markdown: string): Block[] {
  const blocks: Block[] = [{ level: 0, rawHeading: '', lines: [] }];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = FENCE.exec(line)?.[1];
    if (marker && (!fence || marker.startsWith(fence))) fence = fence ? undefined : marker;
    const heading = !fence && !marker ? HEADING.exec(line) : null;
    if (heading) blocks.push({ level: heading[1].length, rawHeading: heading[2], lines: [] });
    else blocks[blocks.length - 1].lines.push(line);
  }
  return blocks;
}

function splitFrontMatter(markdown: string): { body: string; title?: string } {
  const match = FRONT_MATTER.exec(markdown);
  if (!match) return { body: markdown };
  const title = /^title:[ \t]*(.+?)[ \t]*$/m.exec(match[1])?.[1].replace(/^(['"])(.*)\1$/, '$2');
  return { body: markdown.slice(match[0].length), title: title || undefined };
}

/** Hugo's rule for repeated headings on one page: the second `setup` becomes `setup-1`. */
function uniqueAnchor(seen: Map<string, number>, anchor: string): string {
  const count = seen.get(anchor) ?? 0;
  seen.set(anchor, count + 1);
  return count === 0 ? anchor : `${anchor}-${count}`;
}
