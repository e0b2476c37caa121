import { posix } from 'node:path';

/** The language ids code suggestions report as `model.lang` (http-api.md §2.2). */
export type LanguageId =
  'c' | 'cpp' | 'csharp' | 'go' | 'java' | 'js' | 'php' | 'python' | 'ruby' | 'rust' | 'scala' | 'ts' | 'kotlin';

interface LanguageDefinition {
  id: LanguageId;
  /** Case-sensitive, as in ai-assist (`.C` is C++, `.c` is C). */
  extensions: string[];
  /** VS Code language identifiers. */
  editorNames: string[];
}

const LANGUAGES: LanguageDefinition[] = [
  { id: 'c', extensions: ['c', 'h'], editorNames: ['c'] },
  { id: 'cpp', extensions: ['cpp', 'hpp', 'c++', 'h++', 'cc', 'hh', 'C', 'H'], editorNames: ['cpp'] },
  { id: 'csharp', extensions: ['cs'], editorNames: ['csharp'] },
  { id: 'go', extensions: ['go'], editorNames: ['go'] },
  { id: 'java', extensions: ['java'], editorNames: ['java'] },
  { id: 'js', extensions: ['js', 'jsx'], editorNames: ['javascript', 'javascriptreact'] },
  { id: 'php', extensions: ['php', 'php3', 'php4', 'php5', 'phps', 'phpt'], editorNames: ['php'] },
  { id: 'python', extensions: ['py'], editorNames: ['python'] },
  { id: 'ruby', extensions: ['rb'], editorNames: ['ruby'] },
  { id: 'rust', extensions: ['rs'], editorNames: ['rust'] },
  { id: 'scala', extensions: ['scala'], editorNames: ['scala'] },
  { id: 'ts', extensions: ['ts', 'tsx'], editorNames: ['typescript', 'typescriptreact'] },
  { id: 'kotlin', extensions: ['kts', 'kt'], editorNames: ['kotlin'] },
];

const BY_EXTENSION = new Map(LANGUAGES.flatMap((language) => language.extensions.map((ext) => [ext, language.id])));
const BY_EDITOR_NAME = new Map(
  LANGUAGES.flatMap((language) => language.editorNames.map((name) => [name, language.id])),
);

/** The values of the `lang`, `extension` and `editor_lang` metric labels besides `''` and `other`. */
export const LANGUAGE_LABELS = {
  ids: LANGUAGES.map((language) => language.id),
  extensions: [...BY_EXTENSION.keys()],
  editorNames: [...BY_EDITOR_NAME.keys()],
};

/** `Path(file_name).suffix` without the dot: `''` for `Makefile`, `.bashrc` or `name.`. */
export function fileExtension(fileName: string): string {
  return posix.extname(posix.basename(fileName)).slice(1);
}

/** By file extension first, then by the editor's language identifier; undefined when neither is known. */
export function detectLanguage(fileName: string, editorLanguage?: string | null): LanguageId | undefined {
  return BY_EXTENSION.get(fileExtension(fileName)) ?? (editorLanguage ? BY_EDITOR_NAME.get(editorLanguage) : undefined);
}
