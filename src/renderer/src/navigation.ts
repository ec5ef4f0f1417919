import { createContext, useContext } from 'react';
import type { PanicResult, VaultSummary } from '../../shared/model';

export type ScreenId = 'offload' | 'library' | 'subjects' | 'safety' | 'export' | 'sync';

/** Where a "fix it" link can take the producer: a screen, optionally with one subject opened. */
export interface NavigationTarget {
  screen: ScreenId;
  subjectId?: string;
  clipId?: string;
  /** What to open there: the faces proposed as a subject in that clip (the Safety screen's fix). */
  show?: 'proposals';
}

export interface AppContextValue {
  vault: VaultSummary;
  /** The subject or clip a link asked the current screen to open, if any. */
  target: NavigationTarget | null;
  go: (target: NavigationTarget) => void;
  /** After a panic: the window leaves the vault and says what happened. */
  onPanicked: (result: PanicResult) => void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the unlocked app frame');
  return value;
}
