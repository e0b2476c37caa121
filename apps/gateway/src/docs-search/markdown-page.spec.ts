import { MAX_SECTION_WORDS, parsePage } from './markdown-page';

const page = (markdown: string) => parsePage('/ci/runners/runner_tokens.md', markdown);

describe(parsePage.name, () => {
  it('takes the title from the front matter and drops the front matter from the text', () => {
    const parsed = page('---\nstage: Verify\ntitle: "Runner tokens"\n---\n\nIntro about tokens.\n');
    expect(parsed.title).toBe('Runner tokens');
    expect(parsed.sections).toEqual([
      {
        heading: 'Runner tokens',
        anchor: '',
        trail: [],
        content: '# Runner tokens\n\nIntro about tokens.',
        text: 'Intro about tokens.',
      },
    ]);
  });

  it('takes the title from the first H1 on older pages and keeps the legacy DETAILS block as words', () => {
    const parsed = page('# Two-factor authentication **(FREE ALL)**\n\nDETAILS:\n**Tier:** Free\n\nUse 2FA.\n');
    expect(parsed.title).toBe('Two-factor authentication');
    expect(parsed.sections).toHaveLength(1);
    expect(parsed.sections[0].text).toBe('Tier: Free Use 2FA.');
  });

  it('splits by heading with GitLab anchors, breadcrumbs and numbered repeats', () => {
    const parsed = page(
      [
        '---\ntitle: T\n---',
        'Top.',
        '## Reset the `runner` token',
        'Reset text.',
        '### Via the API',
        'API text.',
        '## Rotate automatically {#automatic-token-rotation}',
        'Rotate text.',
        '## Reset the runner token',
        'Again.',
      ].join('\n\n'),
    );
    expect(parsed.sections.map(({ anchor, trail }) => ({ anchor, trail }))).toEqual([
      { anchor: '', trail: [] },
      { anchor: 'reset-the-runner-token', trail: ['Reset the runner token'] },
      { anchor: 'via-the-api', trail: ['Reset the runner token', 'Via the API'] },
      { anchor: 'automatic-token-rotation', trail: ['Rotate automatically'] },
      { anchor: 'reset-the-runner-token-1', trail: ['Reset the runner token'] },
    ]);
    expect(parsed.sections[2].content).toBe('### Via the API\n\nAPI text.');
  });

  it('does not split at "#" lines inside code fences, and keeps the code', () => {
    const parsed = page('---\ntitle: T\n---\n\n## Script\n\n```shell\n# install the runner\napt-get install x\n```\n');
    expect(parsed.sections).toHaveLength(1);
    expect(parsed.sections[0].content).toContain('# install the runner\napt-get install x');
  });

  it('strips shortcodes and comments, drops version history, keeps tab titles and wrapped text', () => {
    const parsed = page(
      [
        '---\ntitle: T\n---',
        '{{< details >}}\n\n- Tier: Premium\n\n{{< /details >}}',
        '{{< history >}}\n\n- Introduced in GitLab 15.10.\n\n{{< /history >}}',
        '<!-- a comment -->',
        '{{< tabs >}}\n\n{{< tab title="Linux package" >}}\n\nRun it. {{< icon name="pencil" >}}\n\n{{< /tab >}}\n\n{{< /tabs >}}',
        '{{% alert type="warning" %}}Careful.{{% /alert %}}',
      ].join('\n\n'),
    );
    const [section] = parsed.sections;
    expect(section.content).not.toMatch(/\{\{|<!--|Introduced/);
    expect(section.text).toBe('- Tier: Premium Linux package Run it. Careful.');
  });

  it('keeps link text but not link targets in the indexed words', () => {
    const [section] = page(
      '---\ntitle: T\n---\n\nSee [the API](../../api/rest/_index.md) and https://example.com/x.\n',
    ).sections;
    expect(section.text).toBe('See the API and');
    expect(section.content).toContain('[the API](../../api/rest/_index.md)');
  });

  it('cuts a long section into parts at paragraph boundaries, each under the same heading', () => {
    const paragraph = Array.from({ length: 250 }, (_, i) => `word${i}`).join(' ');
    const parsed = page(`---\ntitle: T\n---\n\n## Long\n\n${[paragraph, paragraph, paragraph].join('\n\n')}\n`);
    const long = parsed.sections.filter((section) => section.anchor === 'long');
    expect(long).toHaveLength(2);
    for (const part of long) {
      expect(part.content.startsWith('## Long\n\n')).toBe(true);
      expect(part.text.split(' ').length).toBeLessThanOrEqual(MAX_SECTION_WORDS);
    }
  });

  it('leaves out headings without text of their own, and records an md5 of the file', () => {
    const parsed = page('---\ntitle: T\n---\n\n## Empty\n\n### Child\n\nText.\n');
    expect(parsed.sections.map((section) => section.anchor)).toEqual(['child']);
    expect(parsed.sections[0].trail).toEqual(['Empty', 'Child']);
    expect(parsed.md5sum).toMatch(/^[0-9a-f]{32}$/);
  });
});
