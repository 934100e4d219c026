// One turn of a chat request. Its own module so that few-shot.ts (which builds turns)
// and messages.ts (which calls few-shot.ts) need not import each other.
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}
