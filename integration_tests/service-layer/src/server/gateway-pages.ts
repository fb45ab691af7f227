/**
 * Error pages of the Apache front end that sits before the Service Layer (mod_proxy_balancer): HTML, not JSON.
 */

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function page(title: string, body: string): string {
  return (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n' +
    `<title>${title}</title>\n</head><body>\n${body}\n</body></html>\n`
  );
}

export function proxyErrorPage(method: string, path: string): string {
  const target = escapeHtml(path);
  return page(
    '502 Proxy Error',
    '<h1>Proxy Error</h1>\n<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n' +
      `The proxy server could not handle the request <em><a href="${target}">${escapeHtml(method)}&nbsp;${target}</a></em>.<p>\n` +
      'Reason: <strong>Error reading from remote server</strong></p></p>',
  );
}

export function serviceUnavailablePage(): string {
  return page(
    '503 Service Unavailable',
    '<h1>Service Unavailable</h1>\n<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>',
  );
}

export function gatewayTimeoutPage(): string {
  return page('504 Gateway Timeout', '<h1>Gateway Timeout</h1>\n<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>');
}

export function tooManyRequestsPage(): string {
  return page('429 Too Many Requests', '<h1>Too Many Requests</h1>\n<p>The user has sent too many requests\nin a given amount of time.</p>');
}

export function notFoundPage(path: string): string {
  return page('404 Not Found', `<h1>Not Found</h1>\n<p>The requested URL ${escapeHtml(path)} was not found on this server.</p>`);
}
