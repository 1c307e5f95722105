// JUnit XML for CI: one testcase per failure group (failed while new or still reproducing),
// one passing testcase per scenario explored without findings. CI dashboards key history on
// classname + name, so names hold only stable parts (scenario, faults, verdict), never NEW/KNOWN.
import type { CampaignSummary, FailureSummary } from '../explorer/campaign/progress.js';
import { coverageTotals } from './coverage-table.js';
import { failureMarker, formatFault, formatFaultSet, formatReproduction, formatStoppedBy } from './summary-text.js';

export interface JunitOptions {
  /** `scenario` (default): one testsuite per scenario; `campaign`: one testsuite for everything. */
  readonly suites?: 'scenario' | 'campaign';
  /** Written as the suites' `timestamp` when given (reports stay byte-stable without it). */
  readonly timestamp?: Date;
}

interface Testcase {
  readonly classname: string;
  readonly name: string;
  readonly outcome?: { readonly tag: 'failure' | 'error'; readonly type: string; readonly message: string; readonly body: string };
  readonly systemOut?: string;
}

export function junitXml(summary: CampaignSummary, options: JunitOptions = {}): string {
  const byScenario = new Map<string, Testcase[]>();
  for (const scenario of summary.scenarios) byScenario.set(scenario, []);
  for (const failure of summary.failures) {
    const cases = byScenario.get(failure.scenario) ?? [];
    cases.push(failureTestcase(failure));
    byScenario.set(failure.scenario, cases);
  }
  for (const [scenario, cases] of byScenario) {
    if (cases.length === 0) {
      cases.push({
        classname: classnameOf(scenario),
        name: 'explored without findings',
        systemOut: `runs (whole campaign): ${summary.runs}, vacuous: ${summary.vacuous}`,
      });
    }
  }
  // A campaign cut short by an error must not read as green in CI.
  const campaignCase: Testcase | undefined =
    summary.stoppedBy === 'error'
      ? {
          classname: 'faultbox.explore',
          name: 'campaign',
          outcome: { tag: 'error', type: 'campaign-error', message: formatStoppedBy('error'), body: `runs completed: ${summary.runs}` },
        }
      : undefined;

  const properties = campaignProperties(summary);
  const seconds = (summary.durationMs / 1000).toFixed(3);
  const suites: { name: string; cases: Testcase[] }[] =
    options.suites === 'campaign'
      ? [{ name: `faultbox explore (seed ${summary.seed})`, cases: [...(campaignCase ? [campaignCase] : []), ...[...byScenario.values()].flat()] }]
      : [
          ...(campaignCase ? [{ name: 'faultbox explore', cases: [campaignCase] }] : []),
          ...[...byScenario].map(([scenario, cases]) => ({ name: `explore ${scenario}`, cases })),
        ];

  const all = suites.flatMap((s) => s.cases);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="faultbox explore"${counts(all)} time="${seconds}">`,
  );
  for (const suite of suites) {
    const stamp = options.timestamp ? ` timestamp="${options.timestamp.toISOString().slice(0, 19)}"` : '';
    out.push(`  <testsuite name="${escapeXmlAttr(suite.name)}"${counts(suite.cases)} skipped="0" time="${seconds}"${stamp}>`);
    out.push('    <properties>');
    for (const [name, value] of properties) {
      out.push(`      <property name="${escapeXmlAttr(name)}" value="${escapeXmlAttr(value)}"/>`);
    }
    out.push('    </properties>');
    for (const tc of suite.cases) out.push(...testcaseXml(tc));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** Failed while new, or while a known failure still reproduces; a known one that no longer reproduces passes. */
export function failureStillFails(failure: FailureSummary): boolean {
  if (!failure.known) return true;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(failure.reproduced);
  // An unreadable rate is treated as reproducing: better a red build than a hidden bug.
  return match === null || Number(match[1]) > 0;
}

function failureTestcase(failure: FailureSummary): Testcase {
  const base = { classname: classnameOf(failure.scenario), name: `${formatFaultSet(failure.faults)} [${failure.kind}]` };
  const details = failureDetails(failure);
  if (!failureStillFails(failure)) {
    return { ...base, systemOut: `known failure did not reproduce (${failure.reproduced})\n${details}` };
  }
  return {
    ...base,
    outcome: {
      tag: failure.kind === 'infra-error' ? 'error' : 'failure',
      type: failure.kind,
      message: `${failureMarker(failure)} ${failure.severity ? `${failure.severity} ` : ''}${failure.kind}: ${formatFaultSet(failure.faults)} (${formatReproduction(failure)}); replay: ${failure.replay}`,
      body: details,
    },
  };
}

function failureDetails(f: FailureSummary): string {
  const lines = [
    `${failureMarker(f)} ${f.kind} in scenario ${f.scenario} (id ${f.id})`,
    'minimal faults:',
    ...(f.faults.length === 0 ? ['  (no faults)'] : f.faults.map((x) => `  ${formatFault(x)}`)),
    `reproduced: ${formatReproduction(f)}`,
    ...(f.severity ? [`severity: ${f.severity}${f.symptom ? ` (${f.symptom})` : ''}`] : []),
    ...(f.why ? [`not minimal: ${f.why}`] : []),
    'message:',
    ...f.message.split('\n').map((l) => `  ${l}`),
    ...((f.alternatives?.length ?? 0) > 0 ? ['other fault sets with the same symptom:', ...f.alternatives!.map((a) => `  ${formatFaultSet(a)}`)] : []),
  ];
  if (f.excerpt.length > 0) lines.push('events around the injected fault:', ...f.excerpt.map((l) => `  ${l}`));
  if (f.serviceLog) lines.push(`last lines of ${f.serviceLog.service}'s log:`, ...f.serviceLog.lines.map((l) => `  | ${l}`));
  lines.push(`replay: ${f.replay}`);
  if (f.regression !== undefined) lines.push(`regression: ${f.regression}`);
  return lines.join('\n');
}

function testcaseXml(tc: Testcase): string[] {
  const open = `    <testcase classname="${escapeXmlAttr(tc.classname)}" name="${escapeXmlAttr(tc.name)}" time="0"`;
  if (!tc.outcome && tc.systemOut === undefined) return [`${open}/>`];
  const out = [`${open}>`];
  if (tc.outcome) {
    const o = tc.outcome;
    out.push(`      <${o.tag} message="${escapeXmlAttr(o.message)}" type="${escapeXmlAttr(o.type)}">${escapeXmlText(o.body)}</${o.tag}>`);
  }
  if (tc.systemOut !== undefined) out.push(`      <system-out>${escapeXmlText(tc.systemOut)}</system-out>`);
  out.push('    </testcase>');
  return out;
}

function campaignProperties(summary: CampaignSummary): [string, string][] {
  const total = coverageTotals(summary.coverage);
  return [
    ['seed', String(summary.seed)],
    ['runs', String(summary.runs)],
    ['vacuous', String(summary.vacuous)],
    ['stopped_by', summary.stoppedBy],
    ['coverage', `${total.tried}/${total.possible}`],
  ];
}

function counts(cases: readonly Testcase[]): string {
  const failures = cases.filter((c) => c.outcome?.tag === 'failure').length;
  const errors = cases.filter((c) => c.outcome?.tag === 'error').length;
  return ` tests="${cases.length}" failures="${failures}" errors="${errors}"`;
}

function classnameOf(scenario: string): string {
  return `faultbox.explore.${scenario}`;
}

// Characters XML 1.0 forbids anywhere (C0 controls other than tab/LF/CR, lone surrogates,
// U+FFFE/U+FFFF). Service output in excerpts can hold ANSI escapes; they become U+FFFD.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXmlText(text: string): string {
  return text.replace(XML_FORBIDDEN, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also keep their newlines and tabs (a parser would fold raw ones into spaces). */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
