// A dataset's guidelines (issue 17 item 6) are Markdown written by editors and shown to
// every reviewer beside the record, so the HTML made from them must never carry markup
// of the author's own: raw HTML in the text (a <script>, an <img onerror>) comes out as
// escaped text, and links and images keep only http(s), mailto and relative addresses.
// Pure: no I/O, the same output on the server and in the browser.
import { Marked, type Tokens } from "marked";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A link target that cannot run script: http(s), mailto, or relative (no scheme). */
export function safeHref(href: string): string | null {
  const h = href.trim();
  // Browsers ignore tabs and newlines inside a scheme ("java\tscript:"): judge without them.
  const compact = h.replace(/[\u0000-\u0020]/g, "").toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  if (scheme && !["http", "https", "mailto"].includes(scheme[1]!)) return null;
  return h;
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // Raw HTML, block or inline, is shown as the text it is.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      const safe = safeHref(href);
      if (safe === null) return inner;
      const t = title ? ` title="${escapeHtml(title)}"` : "";
      return `<a href="${escapeHtml(safe)}"${t} rel="noopener noreferrer nofollow">${inner}</a>`;
    },
    image({ href, title, text }: Tokens.Image) {
      const safe = safeHref(href);
      if (safe === null) return escapeHtml(text);
      const t = title ? ` title="${escapeHtml(title)}"` : "";
      return `<img src="${escapeHtml(safe)}" alt="${escapeHtml(text)}"${t}>`;
    },
  },
});

/** The guidelines as HTML safe to set as a panel's innerHTML. */
export function renderGuidelines(markdown: string): string {
  return marked.parse(markdown, { async: false }) as string;
}
