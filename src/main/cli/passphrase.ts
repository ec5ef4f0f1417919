import { type CliIo, UsageError } from './cli-io';

/**
 * The passphrase comes from the environment variable the user names (`--passphrase-env NAME`, for
 * scripts) or from a no-echo prompt on a terminal. Never from a flag value.
 */
export async function readPassphrase(io: CliIo, envName: string | undefined, question = 'Vault passphrase: '): Promise<string> {
  if (envName !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) throw new UsageError(`--passphrase-env takes a variable name, not "${envName}".`);
    const value = io.env[envName];
    if (value === undefined || value === '') {
      throw new UsageError(`The environment variable ${envName} named by --passphrase-env is not set or empty.`);
    }
    return value;
  }
  if (!io.promptSecret) {
    throw new UsageError('No terminal to ask for the passphrase. Put it in an environment variable and pass --passphrase-env NAME.');
  }
  return io.promptSecret(question);
}
