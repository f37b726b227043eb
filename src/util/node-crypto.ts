/**
 * node:crypto, loaded on first use: a one-shot run with a current rule cache and no network
 * tests needs none of it (~8 ms of start-up). Hashing and random ids take it from here.
 */
import type * as Crypto from 'node:crypto';
import { lazy } from './lazy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const nodeCrypto = lazy(() => require('node:crypto') as typeof Crypto);
