import { PyTuple, pythonJson, pythonRepr } from './python-format';

describe(pythonJson.name, () => {
  it('uses Python json.dumps spacing and escapes non-ASCII', () => {
    expect(pythonJson({ choices: [{ delta: { content: 'é\n' }, index: 0 }], x: null })).toBe(
      '{"choices": [{"delta": {"content": "\\u00e9\\n"}, "index": 0}], "x": null}',
    );
    expect(pythonJson('😀\u007f')).toBe('"\\ud83d\\ude00\\u007f"');
  });

  it('omits undefined members', () => {
    expect(pythonJson({ a: 1, b: undefined })).toBe('{"a": 1}');
  });
});

describe(pythonRepr.name, () => {
  it('renders a Pydantic error list as Python prints it', () => {
    const errors = [
      { type: 'url_type', loc: new PyTuple(['endpoint']), msg: 'URL input should be a string or URL', input: null },
    ];
    expect(pythonRepr(errors)).toBe(
      "[{'type': 'url_type', 'loc': ('endpoint',), 'msg': 'URL input should be a string or URL', 'input': None}]",
    );
  });

  it('quotes strings as CPython does', () => {
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('say "hi"\n')).toBe('\'say "hi"\\n\'');
    expect(pythonRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pythonRepr(new PyTuple([1, 'a']))).toBe("(1, 'a')");
    expect(pythonRepr([true, false, 2])).toBe('[True, False, 2]');
  });
});
