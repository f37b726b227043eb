/**
 * SpamAssassin eval functions hamlet recognises but does not run locally, with
 * the reason `--lint` reports. Rules using them stay defined and never hit.
 */
import type { InactiveReason } from './registry';

const NETWORK = [
  'check_hashbl_tag', 'check_hashbl_attachments',
  'check_dkim_adsp', 'check_dkim_dependable', 'check_dkim_signall', 'check_dkim_signed',
  'check_dkim_signsome', 'check_dkim_testing', 'check_dkim_valid', 'check_dkim_valid_author_sig',
  'check_dkim_valid_envelopefrom', 'check_for_dkim_welcomelist_from', 'check_for_dkim_whitelist_from',
  'check_for_def_dkim_welcomelist_from', 'check_for_def_dkim_whitelist_from', 'check_arc_signed', 'check_arc_valid',
  'check_for_spf_fail', 'check_for_spf_helo_fail', 'check_for_spf_helo_neutral', 'check_for_spf_helo_none',
  'check_for_spf_helo_pass', 'check_for_spf_helo_permerror', 'check_for_spf_helo_softfail',
  'check_for_spf_helo_temperror', 'check_for_spf_neutral', 'check_for_spf_none', 'check_for_spf_pass',
  'check_for_spf_permerror', 'check_for_spf_softfail', 'check_for_spf_temperror', 'check_for_spf_welcomelist_from',
  'check_for_spf_whitelist_from', 'check_for_def_spf_welcomelist_from', 'check_for_def_spf_whitelist_from',
  'check_dmarc_missing', 'check_dmarc_none', 'check_dmarc_pass', 'check_dmarc_quarantine', 'check_dmarc_reject',
  'check_senders_reputation', 'check_access_database',
] as const;

const EXTERNAL = ['check_razor2', 'check_razor2_range', 'check_pyzor', 'check_dcc', 'check_dcc_reputation_range'] as const;

const AWL = ['check_from_in_auto_welcomelist', 'check_from_in_auto_whitelist'] as const;

const IMAGE = [
  'image_count', 'image_named', 'image_size_exact', 'image_size_range', 'image_to_text_ratio', 'pixel_coverage',
] as const;

const PDF = [
  'pdf_count', 'pdf_image_count', 'pdf_image_size_exact', 'pdf_image_size_range', 'pdf_image_to_text_ratio',
  'pdf_is_empty_body', 'pdf_is_encrypted', 'pdf_match_details', 'pdf_match_fuzzy_md5', 'pdf_match_md5',
  'pdf_name_regex', 'pdf_named', 'pdf_pixel_coverage',
] as const;

export const INACTIVE_EVALS: Readonly<Record<string, InactiveReason>> = Object.fromEntries([
  ...NETWORK.map((n) => [n, 'network']),
  ...EXTERNAL.map((n) => [n, 'external']),
  ...AWL.map((n) => [n, 'awl']),
  ...IMAGE.map((n) => [n, 'image']),
  ...PDF.map((n) => [n, 'pdf']),
]);
