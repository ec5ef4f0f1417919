import type { Plugin } from 'vite';

export function nodeWorkerPlugin(): Plugin;
