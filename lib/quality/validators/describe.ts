// One sentence per check, for the editor's collapsed card and the dataset card. Apart from
// the evaluators so the browser bundle does not carry the tokenizer or trigram profiles.
import type { ValidatorCheck } from "@/lib/blueprints/schema";
import { LANGUAGES, type LanguageCode } from "./languages";

/** A sentence for the dataset card and the editor's summary. */
export function describeCheck(check: ValidatorCheck): string {
  switch (check.type) {
    case "length": {
      const unit = check.unit === "chars" ? "characters" : check.unit;
      const range =
        check.min !== null && check.max !== null
          ? `${check.min} to ${check.max}`
          : check.min !== null
            ? `at least ${check.min}`
            : check.max !== null
              ? `at most ${check.max}`
              : "any number of";
      return `\`${check.field}\` has ${range} ${unit}`;
    }
    case "regex":
      return `\`${check.field}\` ${check.mustMatch ? "matches" : "does not match"} /${check.pattern}/${check.caseInsensitive ? "i" : ""}`;
    case "json_schema":
      return `\`${check.field}\` matches its JSON schema`;
    case "mentions":
      return `\`${check.field}\` mentions the values of ${check.sources.map((s) => `\`${s}\``).join(", ")}`;
    case "language":
      return `\`${check.field}\` is in ${LANGUAGES[check.language as LanguageCode] ?? check.language}`;
    case "expression":
      return `{% if ${check.condition} %}`;
    case "similar_to_pool":
      return `\`${check.field}\` has ROUGE-L F1 at most 0.7 with every instruction of the pool \`${check.pool}\``;
  }
}

