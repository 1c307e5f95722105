import { describe, expect, it } from 'vitest';
import { COMMANDS } from './index.js';

describe('command index', () => {
  it('lists each command under the name and summary its module declares', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
});
