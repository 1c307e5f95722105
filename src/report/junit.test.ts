import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { faultFromJson } from '../explorer/corpus/fault-json.js';
import type { CampaignSummary, FailureSummary } from '../explorer/campaign/progress.js';
import { escapeXmlAttr, escapeXmlText, failureStillFails, junitXml } from './junit.js';

// ---- a small strict XML reader: enough to prove well-formedness and walk the structure ----

interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /[A-Za-z_][\w.-]*/y;
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (FORBIDDEN.test(raw)) throw new Error(`forbidden character in ${where}`);
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (match, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & in ${where}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    const v = ENTITIES[ref];
    if (v === undefined) throw new Error(`unknown entity &${ref}; in ${where}`);
    return v;
  });
}

function parseXml(xml: string): XmlElement {
  let pos = 0;
  const expect_ = (s: string) => {
    if (!xml.startsWith(s, pos)) throw new Error(`expected ${JSON.stringify(s)} at ${pos}: ${xml.slice(pos, pos + 30)}`);
    pos += s.length;
  };
  const name = () => {
    NAME.lastIndex = pos;
    const m = NAME.exec(xml);
    if (!m) throw new Error(`expected a name at ${pos}`);
    pos += m[0].length;
    return m[0];
  };
  const spaces = () => {
    while (/\s/.test(xml[pos] ?? '')) pos++;
  };
  const element = (): XmlElement => {
    expect_('<');
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = pos;
      spaces();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      if (pos === before) throw new Error(`attributes need whitespace at ${pos}`);
      const attr = name();
      expect_('="');
      const end = xml.indexOf('"', pos);
      if (attr in el.attrs) throw new Error(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(xml.slice(pos, end), `attribute ${attr}`);
      pos = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (lt === -1) throw new Error(`unclosed <${el.name}>`);
      el.text += decode(xml.slice(pos, lt), `text of <${el.name}>`);
      pos = lt;
      if (xml.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) throw new Error(`</${closing}> closes <${el.name}>`);
        expect_('>');
        return el;
      }
      el.children.push(element());
    }
  };
  expect_('<?xml version="1.0" encoding="UTF-8"?>');
  spaces();
  const root = element();
  spaces();
  if (pos !== xml.length) throw new Error(`content after the root element at ${pos}`);
  return root;
}

const all = (el: XmlElement, name: string): XmlElement[] =>
  el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);

/** A second opinion from a real XML parser (Python's expat). */
function expatAccepts(xml: string): { ok: boolean; error: string } {
  const r = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], {
    input: xml,
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`python3 is needed for the XML well-formedness check: ${r.error.message}`);
  return { ok: r.status === 0, error: r.stderr };
}

// ---- fixtures ----

function failure(id: string, over: Partial<FailureSummary> = {}): FailureSummary {
  return {
    id,
    scenario: 'checkout',
    kind: 'fail',
    message: 'assert_eq: expected 200, got 500',
    faults: [faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 })],
    reproduced: '5/5',
    known: false,
    replay: `faultbox explore replay shop.star --failure ${id}`,
    regression: `corpus/regressions/${id}.star`,
    excerpt: ['#118 postgres pwrite64 deny(ENOSPC)'],
    ...over,
  };
}

const campaign: CampaignSummary = {
  seed: 42,
  runs: 230,
  vacuous: 7,
  durationMs: 61_500,
  scenarios: ['checkout', 'refund', 'browse'],
  failures: [
    failure('new1'),
    failure('known-still', { known: true, reproduced: '2/5', scenario: 'refund', kind: 'crash' }),
    failure('known-gone', { known: true, reproduced: '0/5', scenario: 'refund', faults: [faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 500 })] }),
  ],
  coverage: [{ service: 'postgres', family: 'write', tried: 6, possible: 12 }],
  stoppedBy: 'budget',
};

describe('junitXml', () => {
  it('writes one suite per scenario with a testcase per failure group and one for each clean scenario', () => {
    const xml = junitXml(campaign);
    expect(expatAccepts(xml)).toEqual({ ok: true, error: '' });
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '4', failures: '2', errors: '0', time: '61.500' });

    const suites = root.children;
    expect(suites.map((s) => [s.name, s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ['testsuite', 'explore checkout', '1', '1'],
      ['testsuite', 'explore refund', '2', '1'],
      ['testsuite', 'explore browse', '1', '0'],
    ]);
    const props = Object.fromEntries(all(suites[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toEqual({ seed: '42', runs: '230', vacuous: '7', stopped_by: 'budget', coverage: '6/12' });

    const [newCase] = all(suites[0]!, 'testcase');
    expect(newCase!.attrs).toMatchObject({ classname: 'faultbox.explore.checkout', name: 'postgres write=deny(ENOSPC, nth=3) [fail]' });
    const fail = all(newCase!, 'failure')[0]!;
    expect(fail.attrs.type).toBe('fail');
    expect(fail.attrs.message).toBe(
      'NEW fail: postgres write=deny(ENOSPC, nth=3) (reproduced 5/5); replay: faultbox explore replay shop.star --failure new1',
    );
    expect(fail.text).toContain('minimal faults:\n  postgres write=deny(ENOSPC, nth=3)');
    expect(fail.text).toContain('#118 postgres pwrite64 deny(ENOSPC)');
    expect(fail.text).toContain('regression: corpus/regressions/new1.star');

    // Known and still reproducing fails; known and gone passes with a note.
    const [still, gone] = all(suites[1]!, 'testcase');
    expect(all(still!, 'failure')[0]!.attrs.message).toMatch(/^KNOWN crash: .*\(reproduced 2\/5\); replay: /);
    expect(all(gone!, 'failure')).toHaveLength(0);
    expect(all(gone!, 'system-out')[0]!.text).toMatch(/^known failure did not reproduce \(0\/5\)/);

    const [clean] = all(suites[2]!, 'testcase');
    expect(clean!.attrs).toMatchObject({ classname: 'faultbox.explore.browse', name: 'explored without findings' });
    expect(clean!.children.filter((c) => c.name === 'failure' || c.name === 'error')).toHaveLength(0);
  });

  it('names a finding\'s severity, symptom and the other fault sets that showed it', () => {
    const xml = junitXml({
      ...campaign,
      failures: [
        failure('sym', {
          severity: 'safety',
          symptom: 'assertion at shop.star:12:5',
          alternatives: [[faultFromJson({ service: 'postgres', syscall: 'fsync', action: 'deny', errno: 'EIO' })]],
        }),
      ],
    });
    const tc = all(parseXml(xml), 'testcase').find((c) => all(c, 'failure').length > 0)!;
    const f = all(tc, 'failure')[0]!;
    expect(f.attrs.message).toMatch(/^NEW safety fail: postgres write=deny\(ENOSPC, nth=3\)/);
    expect(f.text).toContain('severity: safety (assertion at shop.star:12:5)');
    expect(f.text).toContain('other fault sets with the same symptom:\n  postgres fsync=deny(EIO)');
  });

  it('can put the whole campaign in one suite', () => {
    const root = parseXml(junitXml(campaign, { suites: 'campaign', timestamp: new Date('2026-03-01T02:00:00.123Z') }));
    expect(root.children).toHaveLength(1);
    expect(root.children[0]!.attrs).toMatchObject({ name: 'faultbox explore (seed 42)', tests: '4', failures: '2', timestamp: '2026-03-01T02:00:00' });
  });

  it('reports infrastructure errors and an errored campaign as <error>, not green', () => {
    const root = parseXml(
      junitXml({ ...campaign, failures: [failure('i', { kind: 'infra-error' })], scenarios: ['checkout'], stoppedBy: 'error' }),
    );
    expect(root.attrs).toMatchObject({ errors: '2', failures: '0' });
    expect(all(root, 'error').map((e) => e.attrs.type)).toEqual(['campaign-error', 'infra-error']);
  });

  it('escapes markup, quotes, newlines and control characters in every field', () => {
    const nasty = 'a<b>&"c\'\n\td\u001b[31mred\u0000';
    const xml = junitXml({
      ...campaign,
      scenarios: [`sc<"&>`],
      failures: [
        failure('x', {
          scenario: `sc<"&>`,
          message: nasty,
          replay: `faultbox replay --name "<x>" && rm -rf /`,
          excerpt: [nasty],
          faults: [faultFromJson({ service: 's&<', syscall: 'open', action: 'deny', errno: 'EACCES', path: '/tmp/"]]>' })],
        }),
      ],
    });
    expect(expatAccepts(xml)).toEqual({ ok: true, error: '' });
    const root = parseXml(xml);
    const tc = all(root, 'testcase')[0]!;
    expect(tc.attrs.classname).toBe('faultbox.explore.sc<"&>');
    expect(tc.attrs.name).toBe('s&< open=deny(EACCES, path="/tmp/\\"]]>") [fail]');
    const fail = all(tc, 'failure')[0]!;
    expect(fail.attrs.message).toContain('replay: faultbox replay --name "<x>" && rm -rf /');
    // Newlines and tabs in the message survive; the ANSI escape and NUL become U+FFFD.
    expect(fail.text).toContain("a<b>&\"c'\n  \td\uFFFD[31mred\uFFFD");
    expect(root.children[0]!.attrs.name).toBe('explore sc<"&>');
  });

  it('escapes the basics exactly', () => {
    expect(escapeXmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(escapeXmlAttr(`"it's"\n`)).toBe('&quot;it&apos;s&quot;&#10;');
    expect(escapeXmlText('\uD800x')).toBe('\uFFFDx');
  });
});

describe('failureStillFails', () => {
  it('fails new ones and reproducing known ones, passes known ones that no longer reproduce', () => {
    expect(failureStillFails(failure('a', { reproduced: '0/5' }))).toBe(true);
    expect(failureStillFails(failure('a', { known: true, reproduced: '1/5' }))).toBe(true);
    expect(failureStillFails(failure('a', { known: true, reproduced: '0/5' }))).toBe(false);
    expect(failureStillFails(failure('a', { known: true, reproduced: 'unknown' }))).toBe(true);
  });
});

describe('the strict reader used above', () => {
  it('rejects what is not well-formed', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>';
    expect(() => parseXml(`${head}<a>x & y</a>`)).toThrow(/bare &/);
    expect(() => parseXml(`${head}<a><b></a>`)).toThrow(/closes/);
    expect(() => parseXml(`${head}<a t="1"t="2"/>`)).toThrow(/whitespace/);
    expect(() => parseXml(`${head}<a>\u0001</a>`)).toThrow(/forbidden/);
    expect(expatAccepts(`${head}<a>x & y</a>`).ok).toBe(false);
  });
});
