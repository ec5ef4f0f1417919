import { parseArgs } from 'node:util';
import { terminalJson, terminalText } from '../../shared/display-text';
import { createSafehouse, type Safehouse } from '../core/app';
import { type CliIo, exitCodes, UsageError } from './cli-io';
import type { Command } from './command';
import { exportCommands } from './export-commands';
import { faceCommands } from './face-commands';
import { appearanceProposalCommands } from './appearance-proposal-commands';
import { ingestCommands } from './ingest-commands';
import { auditCommands } from './audit-commands';
import { statusCommands } from './status-commands';
import { subjectCommands } from './subject-commands';
import { verifyCommands } from './verify-commands';
import { keyCommands, vaultCommands } from './vault-commands';

export const commands: Command[] = [...vaultCommands, ...keyCommands, ...ingestCommands, ...exportCommands, ...subjectCommands, ...auditCommands, ...statusCommands, ...verifyCommands, ...faceCommands, ...appearanceProposalCommands];

function helpText(version: string): string {
  const width = Math.max(...commands.map((command) => command.words.join(' ').length));
  const lines = commands.map((command) => `  ${command.words.join(' ').padEnd(width)}  ${command.summary}`);
  return [
    `safehouse ${version}: encrypted, sanitized offload of sensitive footage`,
    '',
    'Usage: safehouse <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command that opens a vault takes --vault DIR. The passphrase is asked for on the terminal, or read',
    'from the environment variable you name with --passphrase-env NAME. It is never taken as a flag value.',
    '',
    'Options: --help, --version; add --help after a command for its usage.',
    '',
  ].join('\n');
}

/** Finds the command whose words match the start of argv, longest first ("export master" before "export"). */
function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const sorted = [...commands].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((word, index) => argv[index] === word)) return { command, rest: argv.slice(command.words.length) };
  }
  return null;
}

/**
 * Every line a command prints passes through here: control and bidi characters a name smuggled into a
 * message are escaped (names themselves are escaped where they are printed, display-text.ts). JSON stays
 * exact JSON: the escapes it gets are JSON's own \uXXXX, which parse back to the same characters.
 */
function guardOutput(io: CliIo, json: boolean): CliIo {
  return { ...io, stdout: (text) => io.stdout(json ? terminalJson(text) : terminalText(text)), stderr: (text) => io.stderr(terminalText(text)) };
}

/** Runs the CLI and returns its exit code. Never calls process.exit, so tests can run it in-process. */
export async function runCli(argv: string[], io: CliIo, options: { version: string; safehouse?: Safehouse }): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(helpText(options.version));
    return first === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`${options.version}\n`);
    return exitCodes.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`safehouse: unknown command "${first}". Run "safehouse --help" for the list of commands.\n`);
    return exitCodes.usage;
  }
  const { command, rest } = found;
  const safehouse = options.safehouse ?? createSafehouse({ version: options.version });
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      io.stdout(`Usage: ${command.usage}\n\n${command.summary}\n`);
      return exitCodes.ok;
    }
    const limits = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < limits.min || parsed.positionals.length > limits.max) {
      throw new UsageError(`wrong number of arguments.\nUsage: ${command.usage}`);
    }
    const json = (parsed.values as Record<string, unknown>)['json'] === true;
    return await command.run({
      io: guardOutput(io, json),
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      positionals: parsed.positionals,
      safehouse,
      json,
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`safehouse ${command.words.join(' ')}: ${error.message}\n`);
      return exitCodes.usage;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`safehouse ${command.words.join(' ')}: ${(error as Error).message}\nUsage: ${command.usage}\n`);
      return exitCodes.usage;
    }
    throw error;
  } finally {
    if (!options.safehouse) await safehouse.close();
  }
}
