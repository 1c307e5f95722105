// Every CLI command, in the order `faultbox --help` lists them.
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { testCommand } from './test.js';
import { recordCommand } from './record.js';
import { exploreCommand } from './explore.js';
import { replayCommand } from './replay.js';
import { corpusCommand } from './corpus.js';

export const COMMANDS: readonly Command[] = [checkCommand, testCommand, recordCommand, exploreCommand, replayCommand, corpusCommand];
