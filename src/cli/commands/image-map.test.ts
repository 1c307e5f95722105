import { describe, expect, it } from 'vitest';
import { substituteDockerfileFrom, substituteImage } from '../../runtime/launch/image.js';
import { UsageError } from '../../errors.js';
import { imageMap } from './image-map.js';

describe('imageMap (--image and FAULTBOX_IMAGE_MAP)', () => {
  it('builds a map the resolver finds official names in', () => {
    const map = imageMap(['node:20-slim=faultbox-local/node:20'], 'postgres:16-alpine=faultbox-local/postgres:16, redis:7-alpine=faultbox-local/redis:7');
    expect(substituteImage('postgres:16-alpine', map)).toBe('faultbox-local/postgres:16');
    expect(substituteImage('docker.io/library/redis:7-alpine', map)).toBe('faultbox-local/redis:7');
    expect(substituteDockerfileFrom('FROM node:20-slim\nCMD ["node"]\n', map).text).toBe('FROM faultbox-local/node:20\nCMD ["node"]\n');
  });

  it('lets a flag override the env for the same image', () => {
    const map = imageMap(['postgres:16=mine/pg:16'], 'postgres:16=faultbox-local/postgres:16');
    expect(substituteImage('postgres:16', map)).toBe('mine/pg:16');
  });

  it('refuses a pair without a replacement', () => {
    expect(() => imageMap(['postgres:16='], '')).toThrow(UsageError);
    expect(() => imageMap([], 'postgres:16')).toThrow(/IMAGE=REPLACEMENT/);
  });
});
