"use client";
// A conversation field's value in the record detail, read as a chat: the simulated user's
// messages on one side, the assistant's on the other, each bubble named by its role so a
// screen reader announces who speaks. A long conversation scrolls inside its own region,
// which takes focus so the keyboard can scroll it (axe: scrollable-region-focusable).
import type { ConversationMessage } from "@/lib/blueprints/conversation";

const ROLE_NAMES: Record<ConversationMessage["role"], string> = { user: "User", assistant: "Assistant" };

export function ConversationView({ field, messages }: { field: string; messages: ConversationMessage[] }) {
  const turns = messages.filter((m) => m.role === "user").length;
  return (
    <div
      role="region"
      aria-label={`Conversation ${field}, ${turns} turn${turns === 1 ? "" : "s"}`}
      tabIndex={0}
      data-testid="conversation"
      className="mt-1 max-h-[32rem] overflow-y-auto rounded border border-stone-200 bg-stone-50 p-2 focus-visible:outline-2 focus-visible:outline-sky-600"
    >
      <ol className="space-y-2">
        {messages.map((m, i) => (
          <li key={i} data-role={m.role} className={`flex ${m.role === "user" ? "justify-start" : "justify-end"}`}>
            <div className={`max-w-[85%] rounded-lg px-3 py-2 shadow-xs ${m.role === "user" ? "bg-white text-stone-900" : "bg-indigo-50 text-stone-900"}`}>
              <p className={`text-[11px] font-semibold ${m.role === "user" ? "text-stone-600" : "text-indigo-800"}`}>{ROLE_NAMES[m.role]}</p>
              <p className="mt-0.5 whitespace-pre-wrap break-words text-sm leading-5">{m.content}</p>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
