import { describe, expect, it } from "vitest";
import { formatValue, renderTemplate, TemplateError, templateSyntaxError, templateVariables } from "./render";

const errorOf = (fn: () => unknown): TemplateError => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error("expected a TemplateError");
};

describe("renderTemplate", () => {
  it("renders variables and filters", () => {
    expect(renderTemplate("Hi {{ name | upcase }}!", { name: "ada" })).toBe("Hi ADA!");
  });

  it("prints arrays comma-separated and keeps join for other separators", () => {
    const scope = { features: ["a dialogue", "a twist"] };
    expect(renderTemplate("{{ features }}", scope)).toBe("a dialogue, a twist");
    expect(renderTemplate('{{ features | join: " / " }}', scope)).toBe("a dialogue / a twist");
    expect(renderTemplate('{{ features | join: ", " }}', scope)).toBe("a dialogue, a twist");
    expect(renderTemplate("{% for f in features %}- {{ f }}\n{% endfor %}", scope)).toBe("- a dialogue\n- a twist\n");
    expect(renderTemplate("{{ features.size }} {{ features.first }} {{ features[1] }}", scope)).toBe("2 a dialogue a twist");
  });

  it("gives access to JSON object properties and prints whole objects as JSON", () => {
    const scope = { review: { title: "Great", rating: 5, tags: ["x"] } };
    expect(renderTemplate("{{ review.title }} ({{ review.rating }})", scope)).toBe("Great (5)");
    expect(renderTemplate("{{ review }}", scope)).toBe('{"title":"Great","rating":5,"tags":["x"]}');
    expect(renderTemplate("{{ list }}", { list: [{ a: 1 }] })).toBe('[{"a":1}]');
  });

  it("prints numbers, null and missing variables sensibly", () => {
    expect(renderTemplate("{{ n }}|{{ f }}|{{ z }}|{{ missing }}|{{ missing.deep }}", { n: 3, f: 2.5, z: null })).toBe("3|2.5|||");
  });

  it("hides prototype members", () => {
    expect(renderTemplate("[{{ o.constructor }}][{{ o.__proto__ }}][{{ s.constructor.name }}]", { o: {}, s: "x" })).toBe("[][][]");
  });

  it("refuses file tags with a clear message", () => {
    for (const tag of ["include", "render", "layout"]) {
      const err = errorOf(() => renderTemplate(`{% ${tag} 'secrets' %}`, {}));
      expect(err.message).toMatch(/can't load other files/);
      expect(err.phase).toBe("parse");
    }
  });

  it("reports syntax errors with line and column, without LiquidJS's position suffix", () => {
    const err = errorOf(() => renderTemplate("line one\nsay {{ name ", {}));
    expect(err.line).toBe(2);
    expect(err.column).toBe(5);
    expect(err.message).not.toMatch(/line:/);
  });

  it("rejects unknown filters instead of silently skipping them", () => {
    const err = errorOf(() => renderTemplate("a\n  {{ x | upcaes }}", {}));
    expect(err.message).toBe('Unknown filter "upcaes".');
    expect(err.line).toBe(2);
  });

  it("says how to close unclosed tags and outputs", () => {
    expect(errorOf(() => renderTemplate("{% if x %}yes", {})).message).toBe("{% if %} is never closed: add {% endif %} after its content.");
    expect(errorOf(() => renderTemplate("{{ x", {})).message).toMatch(/is never closed: add "}}"/);
  });

  it("explains an unopened end tag", () => {
    expect(errorOf(() => renderTemplate("{% endif %}", {})).message).toMatch(/no open \{% if %\}/);
  });

  it("stops runaway templates", () => {
    const err = errorOf(() => renderTemplate("{% for i in (1..100000000) %}{{ i }}{% endfor %}", {}));
    expect(err.phase).toBe("render");
    const slow = errorOf(() =>
      renderTemplate("{% for i in (1..5000) %}{% for j in (1..5000) %}{% assign x = j %}{% endfor %}{% endfor %}", {}),
    );
    expect(slow.message).toMatch(/longer than|memory/);
    // Text past V8's longest string: a sentence, not the engine's "Invalid string length".
    const huge = errorOf(() => renderTemplate('{% assign s = "xxxxxxxxxxxxxxxx" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}', {}));
    expect(huge.message).not.toMatch(/Invalid string length/);
    expect(huge.message).toMatch(/more text than can be held|longer than|memory/);
    // Nesting past JavaScript's stack: a sentence, not "Maximum call stack size exceeded".
    for (const [open, close] of [["{% for i in (1..1) %}", "{% endfor %}"], ["{% if true %}", "{% endif %}"]]) {
      const deep = errorOf(() => renderTemplate(open.repeat(3000) + "x" + close.repeat(3000), {}));
      expect(deep.message).toBe("The template nests too deeply to render; flatten nested tags or loops.");
    }
  }, 10_000);
});

describe("formatValue", () => {
  it("formats each value kind", () => {
    expect(formatValue("s")).toBe("s");
    expect(formatValue(1.5)).toBe("1.5");
    expect(formatValue(null)).toBe("");
    expect(formatValue(["a", "b"])).toBe("a, b");
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(true)).toBe("true");
  });
});

describe("templateVariables", () => {
  it("lists outside variables with positions, skipping template-local ones", () => {
    const vars = templateVariables(
      "{% assign x = topic %}{{ x }}\n{% for f in features %}{{ forloop.index }}{{ f }}{% endfor %}\n{% capture c %}{{ review.title }}{% endcapture %}{{ c }}",
    );
    expect(vars.map((v) => v.name)).toEqual(["topic", "features", "review"]);
    expect(vars[1]).toMatchObject({ line: 2, column: 13 });
    expect(vars[2]).toMatchObject({ properties: ["title"], text: "review.title" });
  });

  it("sees variables inside tags, filters and index expressions", () => {
    const names = templateVariables('{% if a == "x" %}{{ b | default: c }}{% endif %}{{ d[e] }}').map((v) => v.name);
    expect(names.sort()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("throws TemplateError on a syntax error; templateSyntaxError returns it", () => {
    expect(() => templateVariables("{% if %}")).toThrow(TemplateError);
    expect(templateSyntaxError("{{ ok }}")).toBeNull();
    expect(templateSyntaxError("{% if x %}")?.line).toBe(1);
  });
});
