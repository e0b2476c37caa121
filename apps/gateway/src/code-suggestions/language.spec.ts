import { detectLanguage, fileExtension } from './language';

describe(detectLanguage.name, () => {
  it.each([
    ['app.py', 'python'],
    ['src/main.rs', 'rust'],
    ['index.tsx', 'ts'],
    ['view.jsx', 'js'],
    ['lib.c', 'c'],
    ['lib.C', 'cpp'],
    ['Build.kts', 'kotlin'],
    ['test.phpt', 'php'],
  ])('detects %s as %s by extension', (fileName, lang) => {
    expect(detectLanguage(fileName)).toBe(lang);
  });

  it('prefers the extension over the editor language', () => {
    expect(detectLanguage('a.go', 'python')).toBe('go');
  });

  it('falls back to the editor language identifier', () => {
    expect(detectLanguage('Dockerfile', 'typescriptreact')).toBe('ts');
    expect(detectLanguage('notes', 'javascript')).toBe('js');
  });

  it('returns undefined for unknown files and editor languages', () => {
    expect(detectLanguage('README.md', 'markdown')).toBeUndefined();
    expect(detectLanguage('README.md', null)).toBeUndefined();
  });
});

describe(fileExtension.name, () => {
  it('follows Python pathlib suffix rules', () => {
    expect(fileExtension('Makefile')).toBe('');
    expect(fileExtension('.bashrc')).toBe('');
    expect(fileExtension('name.')).toBe('');
    expect(fileExtension('a.tar.gz')).toBe('gz');
    expect(fileExtension('dir.d/file')).toBe('');
  });
});
