// Every CLI command, in the order `faultbox --help` lists them.
import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { testCommand } from './test.js';

export const COMMANDS: readonly Command[] = [checkCommand, testCommand];
