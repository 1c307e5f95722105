import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { normalizeImageRef, parseImageMap, substituteDockerfileFrom, substituteImage } from './image.js';

describe('normalizeImageRef', () => {
  it('treats Docker Hub spellings of one image alike and defaults the tag to latest', () => {
    expect(normalizeImageRef('postgres')).toBe('library/postgres:latest');
    expect(normalizeImageRef('postgres:16-alpine')).toBe('library/postgres:16-alpine');
    expect(normalizeImageRef('docker.io/library/postgres:16-alpine')).toBe('library/postgres:16-alpine');
    expect(normalizeImageRef('bitnami/redis:7')).toBe('bitnami/redis:7');
    expect(normalizeImageRef('localhost:5000/api')).toBe('localhost:5000/api:latest');
    expect(normalizeImageRef('faultbox-local/postgres:16')).toBe('faultbox-local/postgres:16');
  });
});

describe('parseImageMap', () => {
  it('reads the env list and --image flags; a flag overrides the env for the same image', () => {
    const map = parseImageMap(['postgres:16-alpine=faultbox-local/postgres:16'], 'redis:7=faultbox-local/redis:7, postgres:16-alpine=other:1');
    expect(substituteImage('postgres:16-alpine', map)).toBe('faultbox-local/postgres:16');
    expect(substituteImage('docker.io/library/redis:7', map)).toBe('faultbox-local/redis:7');
    expect(substituteImage('mysql:8', map)).toBe('mysql:8');
  });

  it('names the malformed pair and its origin', () => {
    expect(() => parseImageMap(['postgres:16'], '')).toThrow(UsageError);
    expect(() => parseImageMap([], 'a=b,=c')).toThrow(/FAULTBOX_IMAGE_MAP: "=c" is not an image substitution/);
  });
});

describe('substituteDockerfileFrom', () => {
  it('replaces mapped FROM images, keeping flags, stage names and unmapped stages', () => {
    const map = parseImageMap(['node:20-slim=faultbox-local/node:20'], '');
    const { text, replaced } = substituteDockerfileFrom(
      'FROM --platform=linux/amd64 node:20-slim AS build\nRUN true\nfrom build\nFROM golang:1.22\n',
      map,
    );
    expect(text).toBe('FROM --platform=linux/amd64 faultbox-local/node:20 AS build\nRUN true\nfrom build\nFROM golang:1.22\n');
    expect(replaced).toEqual(['node:20-slim → faultbox-local/node:20']);
  });
});
