/**
 * A signed HTML message with one host of each kind SpamAssassin's URIDNSBL ranks under
 * `uridnsbl_max_domains`: anchors (one a google.com redirect), a form, an image, a schemeless
 * `www.` host and a text URI written with its scheme, and a DKIM-Signature whose `d=` differs
 * from its `i=`. Used by the unit tests and the test against real SpamAssassin.
 */
export const URI_KINDS_DKIM = 'DKIM-Signature: v=1; a=rsa-sha256; d=Sub.DK-One.co.uk; i=@mail.dk-two.com;\n\ts=sel; h=from; bh=abc=; b=def=\n';

/** Headers (the DKIM one included, then the Content-Type) and body, after the caller's own headers. */
export const URI_KINDS_TAIL = [
  `${URI_KINDS_DKIM}MIME-Version: 1.0`,
  'Content-Type: text/html',
  '',
  '<html><body>Text http://text-http.com/x and www.text-www.com',
  '<img src="http://html-img.com/i.gif"> <form action="http://html-form.com/f"></form>',
  '<a href="http://html-a.com/">x</a> <a href="http://www.google.com/url?q=http://redir-target.com/">r</a>',
  '</body></html>',
  '',
].join('\n');
