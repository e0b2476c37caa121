import nunjucks from 'nunjucks';

/** Jinja2 drops one trailing newline of every template source (`keep_trailing_newline=False`, http-api.md §6.3). */
export const dropTrailingNewline = (source: string): string => (source.endsWith('\n') ? source.slice(0, -1) : source);

class JinjaLikeLoader extends nunjucks.FileSystemLoader {
  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name);
    if (source) source.src = dropTrailingNewline(source.src);
    return source;
  }
}

/**
 * A nunjucks environment behaving like the Jinja2 setup prompts were written for: undefined renders
 * empty, no autoescaping, `{% include %}` resolved from the definitions folder.
 */
export function createTemplateEnvironment(definitionsDir: string): nunjucks.Environment {
  return new nunjucks.Environment(new JinjaLikeLoader(definitionsDir, { noCache: false }), {
    autoescape: false,
    throwOnUndefined: false,
  });
}
