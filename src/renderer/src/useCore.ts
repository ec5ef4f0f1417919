import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallName, CallOutput } from '../../shared/api';
import type { SafehouseErrorShape } from '../../shared/errors';
import { callCore } from './safehouse';

export type Loadable<T> = { state: 'loading' } | { state: 'error'; error: SafehouseErrorShape } | { state: 'ready'; value: T };

/**
 * Loads one contract call's result and exposes a reload; screens render the three states explicitly.
 * `refreshKey` reloads it when something outside changed (an offload finished).
 */
export function useCoreQuery<K extends CallName>(name: K, input: CallInput<K>, refreshKey = 0): [Loadable<CallOutput<K>>, () => void] {
  const [result, setResult] = useState<Loadable<CallOutput<K>>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(input);
  useEffect(() => {
    let current = true;
    callCore(name, JSON.parse(key) as CallInput<K>).then((answer) => {
      if (!current) return;
      setResult(answer.ok ? { state: 'ready', value: answer.value } : { state: 'error', error: answer.error });
    });
    return () => {
      current = false;
    };
  }, [name, key, generation, refreshKey]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return [result, reload];
}
