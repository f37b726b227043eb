/** The reported score and the spam decision, shared by the scanner and every step that moves the score after it (AWL). */

/** `total` rounded to 3 decimals (float sums otherwise show 4.999999...), and whether it reaches `required`. */
export function verdict(total: number, required: number): { readonly score: number; readonly isSpam: boolean } {
  const score = Math.round(total * 1000) / 1000;
  return { score, isSpam: score >= required };
}
