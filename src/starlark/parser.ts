// Parser: tokens → syntax tree (ast.ts). (stub; being implemented)
import { readFileSync } from 'node:fs';
import type { File } from './ast.js';
export function parseSource(filename: string, source: string): File {
  void source;
  throw new Error(`parser not implemented yet (${filename})`);
}
export function parseFile(path: string): File {
  return parseSource(path, readFileSync(path, 'utf8'));
}
