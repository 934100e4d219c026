import type { TestResult } from "@/lib/providers/diagnose";

const tones = {
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-800", icon: "✓" },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "!" },
  error: { box: "border-red-200 bg-red-50 text-red-800", icon: "✕" },
};

/** The answer of "Test connection": green when it works, red with what is wrong. */
export function TestResultView({ result, pending, error }: { result?: TestResult; pending?: boolean; error?: string | null }) {
  let body = null;
  if (pending) {
    body = <p className="text-sm text-stone-500">Testing… (listing models, then asking the model for one token)</p>;
  } else if (error) {
    body = <Message tone="error" text={error} />;
  } else if (result) {
    body = <Message tone={result.tone} text={result.message} />;
  }
  // The live region stays mounted so screen readers announce each new answer.
  return (
    <div role="status" aria-live="polite" data-testid="test-result" data-tone={pending ? "pending" : (error ? "error" : result?.tone) ?? ""}>
      {body}
    </div>
  );
}

function Message({ tone, text }: { tone: keyof typeof tones; text: string }) {
  const t = tones[tone];
  return (
    <p className={`flex items-start gap-2 rounded-md border px-3 py-2 text-sm ${t.box}`}>
      <span aria-hidden className="font-semibold">{t.icon}</span>
      <span className="min-w-0 break-words">{text}</span>
    </p>
  );
}
