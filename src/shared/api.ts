import { z } from 'zod';
import type {
  AppInfo,
  CardScanSummary,
  CardSummary,
  Clip,
  IngestProgress,
  SafetyCounts,
  VaultStatus,
  VaultSummary,
} from './model';
import type { Result } from './errors';

/**
 * THE contract. Every call the UI can make is declared here once: its name, the zod schema its input must
 * pass, and the type of its result. The Electron IPC layer, the preload, the CLI and the browser-test
 * harness are all derived from this object by iterating it; nothing else lists the calls.
 */

/** A filesystem path from the UI: bounded, no NUL bytes (which would truncate it in native code). */
const pathInput = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !value.includes('\0'), 'path must not contain NUL bytes');

const passphraseInput = z.string().min(1).max(1024);
const idInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid id');
const noInput = z.object({}).strict();

interface CallSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Phantom: carries the result type for the type system only. */
  output?: Output;
  /** Calls that must work before a vault is unlocked. */
  public?: boolean;
}

function call<Output>() {
  return <Input extends z.ZodType>(input: Input, options: { public?: boolean } = {}): CallSpec<Input, Output> => ({
    input,
    ...options,
  });
}

export const calls = {
  'app.info': call<AppInfo>()(noInput, { public: true }),
  'vault.status': call<VaultStatus>()(noInput, { public: true }),
  'vault.create': call<VaultSummary>()(
    z.object({ dir: pathInput, passphrase: passphraseInput, kind: z.enum(['normal', 'field']).optional() }).strict(),
    { public: true },
  ),
  'vault.unlock': call<VaultSummary>()(z.object({ dir: pathInput, passphrase: passphraseInput }).strict(), {
    public: true,
  }),
  'vault.lock': call<VaultStatus>()(noInput, { public: true }),
  'vault.setAutoLock': call<VaultSummary>()(
    z.object({ minutes: z.number().int().min(1).max(24 * 60).nullable() }).strict(),
  ),
  'dialog.chooseFolder': call<{ path: string | null }>()(
    z.object({ purpose: z.enum(['card', 'vault', 'export']) }).strict(),
    { public: true },
  ),
  'card.scan': call<CardScanSummary>()(z.object({ path: pathInput }).strict()),
  'cards.list': call<CardSummary[]>()(noInput),
  'clips.list': call<Clip[]>()(noInput),
  'clip.get': call<Clip>()(z.object({ id: idInput }).strict()),
  'safety.summary': call<SafetyCounts>()(noInput),
} as const;

export const events = {
  'offload.progress': {} as IngestProgress,
  'vault.locked': {} as { reason: 'manual' | 'idle' },
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = NonNullable<Calls[K]['output']>;
export type EventPayload<K extends EventName> = (typeof events)[K];

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

/** What `window.safehouse` is: one async function per call, one subscribe function per event. */
export type SafehouseApi = {
  [K in CallName]: (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;
} & {
  [K in EventName]: (listener: (payload: EventPayload<K>) => void) => () => void;
};

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
