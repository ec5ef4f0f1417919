import type { ParseArgsConfig } from 'node:util';
import type { Safehouse } from '../core/app';
import type { CliIo } from './cli-io';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  io: CliIo;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  safehouse: Safehouse;
  json: boolean;
}

/** One CLI command: the words that select it, its flags, and what it does. Returns the exit code. */
export interface Command {
  words: string[];
  usage: string;
  summary: string;
  options: OptionSpec;
  /** How many positional arguments follow the command words. */
  positionals?: { min: number; max: number };
  run(context: CommandContext): Promise<number>;
}

/** Flags shared by every command that opens a vault. */
export const vaultOptions: OptionSpec = {
  vault: { type: 'string' },
  'passphrase-env': { type: 'string' },
};
export const jsonOption: OptionSpec = { json: { type: 'boolean' } };
