/**
 * SpamAssassin eval functions hamlet recognises but does not run locally, with
 * the reason `--lint` reports. Rules using them stay defined and never hit.
 */
import type { InactiveReason } from './registry';

const NETWORK = [
  'check_hashbl_tag', 'check_hashbl_attachments',
  'check_senders_reputation', 'check_access_database',
] as const;

const EXTERNAL = ['check_razor2', 'check_razor2_range', 'check_pyzor', 'check_dcc', 'check_dcc_reputation_range'] as const;

const AWL = ['check_from_in_auto_welcomelist', 'check_from_in_auto_whitelist'] as const;

const PDF = [
  'pdf_count', 'pdf_image_count', 'pdf_image_size_exact', 'pdf_image_size_range', 'pdf_image_to_text_ratio',
  'pdf_is_empty_body', 'pdf_is_encrypted', 'pdf_match_details', 'pdf_match_fuzzy_md5', 'pdf_match_md5',
  'pdf_name_regex', 'pdf_named', 'pdf_pixel_coverage',
] as const;

export const INACTIVE_EVALS: Readonly<Record<string, InactiveReason>> = Object.fromEntries([
  ...NETWORK.map((n) => [n, 'network']),
  ...EXTERNAL.map((n) => [n, 'external']),
  ...AWL.map((n) => [n, 'awl']),
  ...PDF.map((n) => [n, 'pdf']),
]);
