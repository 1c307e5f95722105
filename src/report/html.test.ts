import { describe, expect, it } from 'vitest';
import { faultFromJson } from '../explorer/corpus/fault-json.js';
import type { CampaignSummary } from '../explorer/campaign/progress.js';
import { escapeHtml, htmlReport } from './html.js';

const summary: CampaignSummary = {
  seed: 42,
  runs: 230,
  vacuous: 7,
  durationMs: 600_000,
  scenarios: ['checkout', 'refund'],
  failures: [
    {
      id: 'f1',
      scenario: 'checkout',
      kind: 'fail',
      message: 'assert_eq: expected 200, got 500',
      faults: [
        faultFromJson({ service: 'postgres', syscall: 'write', action: 'deny', errno: 'ENOSPC', nth: 3 }),
        faultFromJson({ service: 'api', syscall: 'connect', action: 'delay', delay_ms: 250 }),
      ],
      reproduced: '5/5',
      known: false,
      replay: 'faultbox explore replay shop.star --failure f1',
      regression: 'corpus/regressions/checkout-f1.star',
      excerpt: ['#118 postgres pwrite64 deny(ENOSPC) /var/lib/pg/wal', '#119 api recvfrom allow'],
    },
    {
      id: 'f2',
      scenario: 'refund',
      kind: 'crash',
      message: 'exit 139',
      faults: [],
      reproduced: '1/5',
      known: true,
      replay: 'faultbox explore replay shop.star --failure f2',
      excerpt: [],
    },
  ],
  coverage: [
    { service: 'postgres', family: 'write', tried: 6, possible: 12 },
    { service: 'postgres', family: 'fsync', tried: 0, possible: 4 },
    { service: 'api', family: 'connect', tried: 4, possible: 4 },
  ],
  stoppedBy: 'budget',
};

describe('htmlReport', () => {
  const html = htmlReport(summary);

  it('is one self-contained page: inline CSS, no scripts, no external assets', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i);
  });

  it('shows the summary numbers', () => {
    expect(html).toContain('<title>faultbox explore — seed 42</title>');
    expect(html).toContain('seed 42 · 10m00s · time budget used · scenarios: checkout, refund');
    expect(html).toContain('<li><b>230</b>runs</li>');
    expect(html).toContain('<li><b>23/min</b>cases / min</li>');
    expect(html).toContain('<li><b>7</b>vacuous</li>');
    expect(html).toContain('<li><b>1</b>new failures</li>');
    expect(html).toContain('<li><b>1</b>known failures</li>');
    expect(html).toContain('<li><b>50%</b>census coverage</li>');
  });

  it('has a coverage table with a bar per service and family', () => {
    expect(html).toContain(
      '<tr class="service"><td>postgres</td><td><div class="bar"><span style="width:37.5%"></span></div></td><td class="num">6</td><td class="num">16</td><td class="num">37%</td></tr>',
    );
    expect(html).toContain('<tr class="family"><td>fsync</td><td><div class="bar"><span style="width:0.0%"></span></div></td>');
    expect(html).toContain('<tr class="service"><td>api</td><td><div class="bar"><span style="width:100.0%"></span></div></td>');
  });

  it('details every failure: marker, faults, message, event excerpt, replay and regression', () => {
    expect(html).toContain('<section class="failure new" id="failure-f1">');
    expect(html).toContain('<span class="badge">NEW</span> fail in checkout');
    expect(html).toContain('<li><code>postgres write=deny(ENOSPC, nth=3)</code></li><li><code>api connect=delay(250ms)</code></li>');
    expect(html).toContain('<pre>assert_eq: expected 200, got 500</pre>');
    expect(html).toContain('<pre>#118 postgres pwrite64 deny(ENOSPC) /var/lib/pg/wal\n#119 api recvfrom allow</pre>');
    expect(html).toContain('<pre><code>faultbox explore replay shop.star --failure f1</code></pre>');
    expect(html).toContain('<code>corpus/regressions/checkout-f1.star</code>');
    expect(html).toContain('<section class="failure known" id="failure-f2">');
    expect(html).toContain('<dt>regression file</dt><dd>(not exported)</dd>');
    expect(html).toContain('<dt>events around the injected fault</dt><dd>(no events recorded)</dd>');
  });

  it('escapes every value that came from the campaign', () => {
    const evil = `<script>alert("x")</script>&'`;
    const page = htmlReport({
      ...summary,
      scenarios: [evil],
      coverage: [{ service: evil, family: evil, tried: 1, possible: 2 }],
      failures: [
        {
          ...summary.failures[0]!,
          id: `"><img src=x>`,
          scenario: evil,
          message: evil,
          replay: evil,
          regression: evil,
          excerpt: [evil],
          faults: [faultFromJson({ service: evil, syscall: 'open', action: 'deny', errno: 'EACCES', path: evil })],
        },
      ],
    }, { title: evil });
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('alert("x")');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    expect(page).toContain('id="failure-&quot;&gt;&lt;img src=x&gt;"');
  });

  it('says so when there is nothing to show', () => {
    const empty = htmlReport({ ...summary, failures: [], coverage: [], scenarios: [] }, { generatedAt: new Date('2026-03-01T00:00:00Z') });
    expect(empty).toContain('<p>No failures found.</p>');
    expect(empty).toContain('<p>No census was recorded.</p>');
    expect(empty).toContain('generated 2026-03-01T00:00:00.000Z');
  });
});

describe('escapeHtml', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
