import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs, translations: english.translations });

/**
 * The least a new vault passphrase must resist: 10^12 guesses by zxcvbn's estimate (a seized laptop gives
 * an attacker all the time they want against the vault header), and the core's own floor of 12 characters.
 * "Password1234!" and "aaaaaaaaaaaa" fall well short; four unrelated words clear it.
 */
export const MIN_GUESSES_LOG10 = 12;
export const MIN_LENGTH = 12;

export interface PassphraseStrength {
  /** 0..100 for the meter. */
  percent: number;
  label: 'too short' | 'very weak' | 'weak' | 'fair' | 'strong';
  acceptable: boolean;
  /** What is wrong and how to do better, in zxcvbn's words; empty when nothing to say. */
  advice: string[];
}

export function passphraseStrength(passphrase: string): PassphraseStrength {
  if (passphrase.length === 0) return { percent: 0, label: 'too short', acceptable: false, advice: [] };
  // zxcvbn's cost grows with length; the contract caps passphrases at 1024 characters anyway.
  const result = zxcvbn(passphrase.slice(0, 256));
  const log10 = result.guessesLog10;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter((line): line is string => Boolean(line));
  if (passphrase.length < MIN_LENGTH) {
    return { percent: Math.min(30, Math.round(log10 * 2)), label: 'too short', acceptable: false, advice: [`Use at least ${MIN_LENGTH} characters: several unrelated words work well.`, ...advice] };
  }
  const acceptable = log10 >= MIN_GUESSES_LOG10;
  const label = log10 >= 16 ? 'strong' : acceptable ? 'fair' : log10 >= 8 ? 'weak' : 'very weak';
  if (!acceptable && advice.length === 0) advice.push('Add another unrelated word or two.');
  return { percent: Math.min(100, Math.round((log10 / 20) * 100)), label, acceptable, advice };
}
