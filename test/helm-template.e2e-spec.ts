import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmTemplate, mergeValues } from './helpers/helm-template';

/** A throwaway chart with one template, to pin the Go-template semantics the chart tests rely on. */
function renderOne(template: string, values: Record<string, unknown> = {}, defaults = 'name: base\n') {
  const dir = mkdtempSync(join(tmpdir(), 'helm-template-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.2.3\nappVersion: "9.9"\n');
  writeFileSync(join(dir, 'values.yaml'), defaults);
  writeFileSync(join(dir, 'values.schema.json'), '{"type": "object"}');
  writeFileSync(join(dir, 'templates/_helpers.tpl'), '{{- define "demo.name" -}}\n{{ .Chart.Name }}-x\n{{- end }}\n');
  writeFileSync(join(dir, 'templates/t.yaml'), template);
  return helmTemplate(dir, { values })['t.yaml'];
}

describe('test/helpers/helm-template.ts (the chart tests’ renderer)', () => {
  it('trims whitespace at {{- and -}}, drops comments, and prints missing values as nothing', () => {
    expect(
      renderOne('a: {{ .Values.name -}}  \n  {{- "-end" }}\nb: "{{ .Values.missing }}"\n{{- /* gone */}}\n'),
    ).toEqual([{ a: 'base-end', b: '' }]);
  });

  it('evaluates if / else if / else with Go truth (empty string, list and map are false)', () => {
    const template =
      '{{- if .Values.list }}v: list{{- else if .Values.map }}v: map{{- else if .Values.name }}v: name{{- else }}v: none{{- end }}\n';
    expect(renderOne(template, { list: [], map: {} })).toEqual([{ v: 'name' }]);
    expect(renderOne(template, { list: [], map: {}, name: '' })).toEqual([{ v: 'none' }]);
    expect(renderOne(template, { list: [1] })).toEqual([{ v: 'list' }]);
  });

  it('ranges over lists and over maps in key order, with variables, and includes defines with nindent', () => {
    const template = [
      'items:',
      '{{- range $key, $value := dict "b" 2 "a" 1 }}',
      '  - {{ $key }}{{ $value }}',
      '{{- end }}',
      'names:',
      '{{- range .Values.names }}',
      '  - {{ . | quote }}',
      '{{- end }}',
      'labels:',
      '  {{- include "demo.name" . | nindent 2 }}: {{ (first .Values.names) }}',
    ].join('\n');
    expect(renderOne(template, { names: ['x', 'y'] })).toEqual([
      { items: ['a1', 'b2'], names: ['x', 'y'], labels: { 'demo-x': 'x' } },
    ]);
  });

  it('fails as helm does on required, fail and field access through nil', () => {
    expect(() => renderOne('a: {{ required "name needed" .Values.nothing }}')).toThrow('execution error: name needed');
    expect(() => renderOne('{{ fail "stop here" }}')).toThrow('execution error: stop here');
    expect(() => renderOne('a: {{ .Values.nothing.deeper }}')).toThrow('nil pointer evaluating interface {}.deeper');
    expect(() => renderOne('a: {{ unknownFn 1 }}')).toThrow('function "unknownFn" not defined');
  });

  it('merges values as helm does: maps merge, lists replace, null deletes', () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, l: [1, 2], d: 'x' }, { a: { c: 3 }, l: [9], d: null })).toEqual({
      a: { b: 1, c: 3 },
      l: [9],
    });
  });

  it('validates merged values against values.schema.json before rendering', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helm-schema-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'Chart.yaml'), 'name: demo\nversion: 1.0.0\n');
    writeFileSync(join(dir, 'values.yaml'), 'port: 1\n');
    writeFileSync(join(dir, 'values.schema.json'), '{"properties": {"port": {"type": "integer"}}}');
    expect(() => helmTemplate(dir, { values: { port: 'one' } })).toThrow(/schema: \/port must be integer/);
  });
});
