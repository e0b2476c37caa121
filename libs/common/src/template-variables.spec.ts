import { requiredVariables } from './template-variables';

const partials: Record<string, string> = {
  'shared/context.jinja': '{% if context %}{{ context.type }}{% endif %}{{ topic }}',
};
const required = (source: string) => [...requiredVariables(source, (name) => partials[name])].sort();

describe(requiredVariables.name, () => {
  it('requires names read outside a guard', () => {
    expect(required('{{ input }} and {{ file.path }}')).toEqual(['file', 'input']);
  });

  it('leaves names optional inside their if, as `is defined`, or behind default()', () => {
    expect(required('{% if notes %}{{ notes }}{% else %}{{ notes }}{% endif %}')).toEqual([]);
    expect(required('{{ language if language is defined else "" }}')).toEqual([]);
    expect(required("{{ language | default('') }}{{ name | upper }}")).toEqual(['name']);
  });

  it('does not count loop variables and set targets as inputs, but does count what they are built from', () => {
    expect(required('{% for step in steps %}{{ step.thought }}{{ loop.index }}{% endfor %}')).toEqual(['steps']);
    expect(required("{% set task = 'x' %}{{ task }}{{ other }}")).toEqual(['other']);
  });

  it('follows includes with the including scope', () => {
    expect(required("{% include 'shared/context.jinja' %}")).toEqual(['topic']);
    expect(required("{% set topic = 'x' %}{% include 'shared/context.jinja' %}")).toEqual([]);
  });
});
