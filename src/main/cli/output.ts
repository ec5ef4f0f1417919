import type { Result } from '../../shared/errors';
import { type CliIo, exitCodes } from './cli-io';

/** Prints a failed result as a sentence (or as JSON with --json) and returns exit code 1. */
export function reportFailure(io: CliIo, json: boolean, result: Extract<Result<unknown>, { ok: false }>): number {
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: result.error })}\n`);
  else io.stderr(`safehouse: ${result.error.message}\n`);
  return exitCodes.failed;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
