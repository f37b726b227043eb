/** The auto-welcomelist: settings, keys, the score pull, the store, and the management commands. */
export { awlSettings, expandHome, type AwlSettings } from './settings';
export { awlAddress, awlIpKey, originatingIp, NO_IP } from './key';
export {
  awlAdjust,
  awlDelta,
  awlKey,
  awlInputScore,
  awlInputFromScan,
  awlSenderOf,
  AWL_PRIORITY,
  type AwlConf,
  type AwlInput,
  type AwlResult,
  type AwlScoredHit,
  type AwlSender,
} from './awl';
export type { AddrEntry, AddrKey, AddrListOps, AddrListStore } from './store';
export { openAwlStore } from './stores/sqlite';
export type { AwlSqliteOptions } from './stores/sqlite-db';
export { awlBackend, awlBackendIsFile, openAddrList, type AwlOpenOptions } from './stores/registry';
export { AwlError, type AwlErrorCode } from './errors';
export {
  addToWelcomelist,
  addToBlocklist,
  removeFromWelcomelist,
  modifyAddress,
  addressesInMail,
  addrListMessage,
  WELCOME_SCORE,
  BLOCK_SCORE,
  type AddrListAction,
} from './manage';
export { awlActive, awlForScan, awlRuleName, withAwlHit, AWL_DESCRIBE, type AwlScanResult } from './scan';
