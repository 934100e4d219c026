import { describe, expect, it } from "vitest";
import { renderGuidelines, safeHref } from "./render";

describe("renderGuidelines", () => {
  it("renders Markdown", () => {
    const html = renderGuidelines("# Rules\n\n- **Accept** clear answers\n- see [the policy](https://example.com/p)");
    expect(html).toContain("<h1>Rules</h1>");
    expect(html).toContain("<strong>Accept</strong>");
    expect(html).toContain('<a href="https://example.com/p" rel="noopener noreferrer nofollow">the policy</a>');
  });

  it("shows raw HTML as text: no script, no event handler", () => {
    const html = renderGuidelines('<script>alert(1)</script>\n\nSee <img src=x onerror="alert(2)"> and <b onclick="x()">this</b>.');
    expect(html).not.toMatch(/<script|<img|<b /i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
  });

  it("drops links and images whose address could run script", () => {
    const html = renderGuidelines('[click](javascript:alert(1)) [tab](java\tscript:alert(1)) ![x](javascript:alert(2)) [d](data:text/html,<script>alert(3)</script>)');
    expect(html).not.toMatch(/href=|src=/);
    expect(html).toContain("click");
  });

  it("escapes quotes in addresses and titles", () => {
    const html = renderGuidelines('[a](https://e.com/"onmouseover="x "t\\"itle")');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });
});

describe("safeHref", () => {
  it("keeps http(s), mailto and relative addresses", () => {
    for (const h of ["https://a.b/c", "http://a", "mailto:x@y.z", "/datasets/1", "#part", "notes.md"]) expect(safeHref(h)).toBe(h);
  });
  it("refuses other schemes, however written", () => {
    for (const h of ["javascript:x", " JavaScript:x", "java\nscript:x", "vbscript:x", "data:text/html,x"]) expect(safeHref(h)).toBeNull();
  });
});
