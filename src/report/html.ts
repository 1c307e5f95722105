// `--report FILE.html`: one self-contained page of a campaign (inline CSS, no scripts, no
// external assets) that can be attached to a CI run or mailed. Every value is escaped.
import type { CampaignSummary, FailureSummary } from '../explorer/campaign/progress.js';
import { coverageTotals, groupCoverage } from './coverage-table.js';
import {
  failureMarker,
  formatDuration,
  formatFault,
  formatFaultSet,
  formatReproduction,
  formatPercent,
  formatRate,
  formatStoppedBy,
} from './summary-text.js';

export interface HtmlReportOptions {
  readonly title?: string;
  /** Shown in the header when given (reports stay byte-stable without it). */
  readonly generatedAt?: Date;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1f23;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #d9dce1;padding-bottom:.25rem}
.meta{color:#5b6270;margin:0}
.numbers{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0;padding:0;list-style:none}
.numbers li{border:1px solid #d9dce1;border-radius:6px;padding:.5rem .9rem;min-width:7rem}
.numbers b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eceef1;vertical-align:middle}
tr.service td{font-weight:600;border-top:1px solid #d9dce1}tr.family td:first-child{padding-left:1.5rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eceef1;border-radius:3px;height:.7rem;width:14rem}.bar span{display:block;height:100%;background:#3b7dd8;border-radius:3px}
.failure{border:1px solid #d9dce1;border-left:4px solid #c7362b;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.failure.known{border-left-color:#c98a00}
.badge{font-weight:700;font-size:.8rem;padding:.05rem .4rem;border-radius:3px;color:#fff;background:#c7362b}
.known .badge{background:#c98a00}
pre{background:#f5f6f8;border-radius:4px;padding:.5rem .75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:.25rem 0}
dt{font-weight:600;margin-top:.5rem}dd{margin:0}ul.faults{margin:.25rem 0;padding-left:1.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}
`;

export function htmlReport(summary: CampaignSummary, options: HtmlReportOptions = {}): string {
  const title = options.title ?? `faultbox explore — seed ${summary.seed}`;
  const fresh = summary.failures.filter((f) => !f.known).length;
  const total = coverageTotals(summary.coverage);
  const rate = summary.durationMs > 0 ? (summary.runs * 60_000) / summary.durationMs : undefined;
  const meta = [
    `seed ${summary.seed}`,
    `${formatDuration(summary.durationMs)}`,
    formatStoppedBy(summary.stoppedBy),
    `scenarios: ${summary.scenarios.length > 0 ? summary.scenarios.join(', ') : '(none)'}`,
    ...(options.generatedAt ? [`generated ${options.generatedAt.toISOString()}`] : []),
  ].join(' · ');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">${esc(meta)}</p>
<ul class="numbers">
${number('runs', String(summary.runs))}
${number('cases / min', formatRate(rate))}
${number('vacuous', String(summary.vacuous))}
${number('new failures', String(fresh))}
${number('known failures', String(summary.failures.length - fresh))}
${number('census coverage', `${formatPercent(total.tried, total.possible)}`)}
</ul>
<h2>Census coverage</h2>
${coverageTable(summary)}
<h2>Failures (${summary.failures.length})</h2>
${summary.failures.length === 0 ? '<p>No failures found.</p>' : summary.failures.map(failureSection).join('\n')}
</body>
</html>
`;
}

function number(label: string, value: string): string {
  return `<li><b>${esc(value)}</b>${esc(label)}</li>`;
}

function coverageTable(summary: CampaignSummary): string {
  if (summary.coverage.length === 0) return '<p>No census was recorded.</p>';
  const row = (cls: string, label: string, tried: number, possible: number) => {
    const width = possible > 0 ? Math.min(100, (100 * tried) / possible) : 0;
    return `<tr class="${cls}"><td>${esc(label)}</td><td><div class="bar"><span style="width:${width.toFixed(1)}%"></span></div></td>` +
      `<td class="num">${tried}</td><td class="num">${possible}</td><td class="num">${esc(formatPercent(tried, possible))}</td></tr>`;
  };
  const rows = groupCoverage(summary.coverage).flatMap((g) => [
    row('service', g.service, g.tried, g.possible),
    ...g.families.map((f) => row('family', f.family, f.tried, f.possible)),
  ]);
  return `<table>
<thead><tr><th>service / syscall family</th><th></th><th class="num">tried</th><th class="num">possible</th><th class="num">%</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

function failureSection(f: FailureSummary): string {
  const marker = failureMarker(f);
  const faults = f.faults.length === 0 ? '<li>(no faults)</li>' : f.faults.map((x) => `<li><code>${esc(formatFault(x))}</code></li>`).join('');
  return `<section class="failure ${marker === 'NEW' ? 'new' : 'known'}" id="${esc(`failure-${f.id}`)}">
<h3><span class="badge">${marker}</span> ${f.severity ? `${esc(f.severity)} · ` : ''}${esc(f.kind)} in ${esc(f.scenario)}: <code>${esc(formatFaultSet(f.faults))}</code></h3>
<dl>
<dt>minimal faults</dt><dd><ul class="faults">${faults}</ul></dd>
<dt>reproduced</dt><dd>${esc(formatReproduction(f))}${f.why ? ` — not minimal: ${esc(f.why)}` : ''}</dd>
${f.symptom ? `<dt>symptom</dt><dd>${esc(f.symptom)}</dd>\n` : ''}${(f.alternatives?.length ?? 0) > 0 ? `<dt>other fault sets with the same symptom (${f.alternatives!.length})</dt><dd><ul class="faults">${f.alternatives!.map((a) => `<li><code>${esc(formatFaultSet(a))}</code></li>`).join('')}</ul></dd>\n` : ''}
<dt>message</dt><dd><pre>${esc(f.message)}</pre></dd>
<dt>events around the injected fault</dt><dd>${f.excerpt.length === 0 ? '(no events recorded)' : `<pre>${esc(f.excerpt.join('\n'))}</pre>`}</dd>
${f.serviceLog ? `<dt>last lines of ${esc(f.serviceLog.service)}'s log</dt><dd><pre>${esc(f.serviceLog.lines.join('\n'))}</pre></dd>\n` : ''}<dt>replay</dt><dd><pre><code>${esc(f.replay)}</code></pre></dd>
<dt>regression file</dt><dd>${f.regression === undefined ? '(not exported)' : `<code>${esc(f.regression)}</code>`}</dd>
</dl>
</section>`;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const esc = escapeHtml;
