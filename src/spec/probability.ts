// `probability=` on deny/delay: a float in 0..1, an int percent (50 = 50%), or a string "50%" or
// "0.5". A percent sign always means percent, so "1%" is one in a hundred.

export type ProbabilityInput = { kind: 'float'; value: number } | { kind: 'int'; value: number } | { kind: 'string'; value: string };

/** The probability in 0..1, or an error message saying what was expected. */
export function parseProbability(p: ProbabilityInput): number | string {
  switch (p.kind) {
    case 'float':
      return inUnit(p.value, String(p.value));
    case 'int':
      return inPercent(p.value, String(p.value));
    case 'string': {
      const s = p.value.trim();
      if (s.endsWith('%')) {
        const n = numberOf(s.slice(0, -1).trim());
        return n === undefined ? expected(`"${p.value}"`) : inPercent(n, `"${p.value}"`);
      }
      const n = numberOf(s);
      if (n === undefined) return expected(`"${p.value}"`);
      if (n > 1) return `probability "${p.value}" is above 1; write a fraction ("0.5") or a percentage ("50%")`;
      return inUnit(n, `"${p.value}"`);
    }
  }
}

function numberOf(s: string): number | undefined {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return undefined;
  return Number(s);
}

function inUnit(n: number, shown: string): number | string {
  return n >= 0 && n <= 1 ? n : `probability ${shown} is outside 0..1`;
}

function inPercent(n: number, shown: string): number | string {
  return n >= 0 && n <= 100 ? n / 100 : `probability ${shown} is outside 0%..100%`;
}

function expected(shown: string): string {
  return `probability ${shown} is not a number: expected a float in 0..1, an int percent, or a string like "50%" or "0.5"`;
}
