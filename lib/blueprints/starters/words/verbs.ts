// Simple verbs a 3-year-old knows, in the spirit of the TinyStories vocabulary
// (Eldan & Li, 2023). Base forms so the prompt reads naturally: "use the verb run".
export const SIMPLE_VERBS: readonly string[] = [
  "run", "jump", "walk", "hop", "skip", "climb", "crawl", "swim", "fly", "dance",
  "sing", "play", "eat", "drink", "sleep", "nap", "wake", "sit", "stand", "fall",
  "push", "pull", "throw", "catch", "kick", "roll", "bounce", "spin", "shake", "clap",
  "wave", "hug", "kiss", "smile", "laugh", "cry", "shout", "whisper", "talk", "listen",
  "look", "see", "watch", "find", "hide", "seek", "share", "give", "take", "help",
  "build", "make", "draw", "paint", "color", "cut", "fold", "stick", "glue", "tear",
  "open", "close", "lock", "knock", "ring", "call", "wait", "hurry", "stop", "go",
  "come", "leave", "stay", "visit", "bring", "carry", "drop", "pick", "hold", "touch",
  "feel", "smell", "taste", "lick", "bite", "chew", "swallow", "cook", "bake", "stir",
  "pour", "spill", "wash", "clean", "wipe", "sweep", "brush", "comb", "dress", "wear",
  "tie", "zip", "button", "fix", "break", "mend", "plant", "grow", "dig", "water",
  "pack", "feed", "pet", "ride", "drive", "sail", "float", "sink", "splash", "dive",
  "slide", "swing", "rock", "rest", "dream", "wish", "hope", "love", "like", "miss",
  "need", "want", "try", "learn", "count", "read", "write", "spell", "think", "know",
  "remember", "forget", "guess", "ask", "answer", "tell", "show", "point", "nod", "wink",
  "blink", "yawn", "sneeze", "cough", "giggle", "scream", "bark", "meow", "quack", "roar",
  "chase", "follow", "lead", "win", "lose", "race", "march", "tiptoe", "stomp", "wiggle",
  "tickle", "squeeze", "pat", "tap", "poke", "scratch", "blow", "pop", "melt", "shine",
  "glow", "sparkle", "rain", "snow", "hum", "whistle", "peek", "explore", "discover", "thank",
  "greet", "borrow", "lend", "save", "keep", "fill", "empty", "stack", "sort", "match",
];
